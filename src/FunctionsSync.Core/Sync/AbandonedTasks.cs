namespace FunctionsSync.Core.Sync;

internal static class AbandonedTasks
{
    /// <summary>A task nobody will wait for (a read-ahead page, a write or checkpoint left in flight): its failure, if any, must not go unobserved.</summary>
    public static void Abandon(this Task? task) =>
        task?.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
}

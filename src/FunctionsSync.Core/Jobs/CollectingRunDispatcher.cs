namespace FunctionsSync.Core.Jobs;

/// <summary>
/// A dispatcher that only collects the jobs dispatched within a scope (one HTTP request), for hosts that start runs
/// with a client bound per call, like the Functions app's <c>[DurableClient]</c>. Outside a scope, dispatching fails
/// loudly rather than losing a run.
/// </summary>
public sealed class CollectingRunDispatcher : IRunDispatcher
{
    private static readonly AsyncLocal<List<(SyncJob Job, TimeSpan Delay)>?> Current = new();

    public static Scope Begin() => new();

    public Task DispatchAsync(SyncJob job, TimeSpan delay, CancellationToken cancellationToken)
    {
        var jobs = Current.Value ?? throw new InvalidOperationException("Runs can only be dispatched within a CollectingRunDispatcher scope.");
        lock (jobs)
        {
            jobs.Add((job, delay));
        }

        return Task.CompletedTask;
    }

    public sealed class Scope : IDisposable
    {
        private readonly List<(SyncJob Job, TimeSpan Delay)>? previous = Current.Value;
        private readonly List<(SyncJob Job, TimeSpan Delay)> jobs = [];

        internal Scope() => Current.Value = jobs;

        public IReadOnlyList<(SyncJob Job, TimeSpan Delay)> Jobs => jobs;

        public void Dispose() => Current.Value = previous;
    }
}

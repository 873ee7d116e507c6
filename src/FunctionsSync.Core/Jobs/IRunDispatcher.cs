namespace FunctionsSync.Core.Jobs;

/// <summary>
/// Hands a queued run to whatever executes runs: the job queue in the self-hosted runtime, a Durable orchestration in
/// the Functions app.
/// </summary>
public interface IRunDispatcher
{
    Task DispatchAsync(SyncJob job, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>
    /// A paused run queued again: by default dispatched like any run; the Functions app's waits for the <c>resume</c>
    /// event on its orchestration instead.
    /// </summary>
    Task ResumeAsync(SyncJob job, CancellationToken cancellationToken) => DispatchAsync(job, TimeSpan.Zero, cancellationToken);
}

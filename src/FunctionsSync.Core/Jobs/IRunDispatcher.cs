namespace FunctionsSync.Core.Jobs;

/// <summary>
/// Hands a queued run to whatever executes runs: the job queue in the self-hosted runtime, a Durable orchestration in
/// the Functions app.
/// </summary>
public interface IRunDispatcher
{
    Task DispatchAsync(SyncJob job, TimeSpan delay, CancellationToken cancellationToken);
}

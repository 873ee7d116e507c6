namespace FunctionsSync.Core.Jobs;

/// <summary>The fan-out queue of per-connection run jobs (an Azure Storage queue in the self-hosted runtime).</summary>
public interface IJobQueue
{
    Task EnqueueAsync(SyncJob job, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Takes the next visible message, hiding it for <paramref name="visibility"/>; null when the queue is empty.</summary>
    Task<IJobMessage?> ReceiveAsync(TimeSpan visibility, CancellationToken cancellationToken);

    Task<int?> ApproximateCountAsync(CancellationToken cancellationToken);

    /// <summary>When the oldest visible job was enqueued (a peek: hides nothing); null when none is visible.</summary>
    Task<DateTimeOffset?> OldestVisibleAsync(CancellationToken cancellationToken);
}

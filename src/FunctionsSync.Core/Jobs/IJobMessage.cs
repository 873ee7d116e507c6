namespace FunctionsSync.Core.Jobs;

/// <summary>A received job message, hidden from other workers until its visibility ends.</summary>
public interface IJobMessage
{
    /// <summary>Null when the message body is not a job (it goes to the poison queue).</summary>
    SyncJob? Job { get; }

    /// <summary>How many times the message has been received, this time included.</summary>
    int DequeueCount { get; }

    /// <summary>Keeps the message hidden for <paramref name="visibility"/> more (a long run is still going).</summary>
    Task ExtendAsync(TimeSpan visibility, CancellationToken cancellationToken);

    /// <summary>Done: deletes the message.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Not done: the message becomes visible again after <paramref name="after"/> (its dequeue count stays).</summary>
    Task AbandonAsync(TimeSpan after, CancellationToken cancellationToken);

    /// <summary>Not now, through no fault of the job: re-enqueues it fresh after <paramref name="delay"/> (dequeue count restarts).</summary>
    Task DeferAsync(TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Moves the message to the poison queue with the reason.</summary>
    Task MoveToPoisonAsync(string reason, CancellationToken cancellationToken);
}

namespace FunctionsSync.Core.Leasing;

/// <summary>
/// The right to sync one connection until <see cref="ExpiresAt"/>. Every write made under the lease carries its
/// <see cref="ETag"/>, so a runner whose lease was taken over cannot write a checkpoint (fencing).
/// </summary>
/// <param name="ActiveRunId">The run the lease holder works on; stays set after an interruption so the next holder resumes it.</param>
/// <param name="Lane">Which of the connection's lanes the lease is for.</param>
public sealed record SyncLease(string ConnectionId, string Owner, DateTimeOffset ExpiresAt, string ETag, string? ActiveRunId, Sync.SyncLane Lane = Sync.SyncLane.Main)
{
    /// <summary>
    /// The lane's cursors as of <see cref="ETag"/>: what the holder starts from, read with the lease (the holder owns
    /// them, so they change only by its own checkpoints). Null on a lease that was only looked at, not taken.
    /// </summary>
    public IReadOnlyDictionary<Records.EntityType, Sync.EntityCursor>? Cursors { get; init; }
}

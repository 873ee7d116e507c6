using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// Where a connection's feed of one entity type stands. <see cref="HighWaterMark"/> moves only when a run has read
/// the whole feed; mid-run, <see cref="PageToken"/> says which page comes next.
/// </summary>
public sealed record EntityCursor
{
    public required EntityType EntityType { get; init; }

    /// <summary>Latest change time fully synced; the next incremental run reads from here minus the overlap.</summary>
    public DateTimeOffset? HighWaterMark { get; init; }

    /// <summary>The run these in-run fields belong to; fields of another run are ignored.</summary>
    public string? RunId { get; init; }

    /// <summary>The <c>since</c> the run's feed started with (null: everything).</summary>
    public DateTimeOffset? RunSince { get; init; }

    /// <summary>Token of the next page to fetch; null with <see cref="Completed"/> false means the first page.</summary>
    public string? PageToken { get; init; }

    /// <summary>Latest change time seen so far in this run.</summary>
    public DateTimeOffset? PendingHighWaterMark { get; init; }

    /// <summary>Earliest change time of a record rejected in this run: the cursor must not pass it.</summary>
    public DateTimeOffset? HoldBefore { get; init; }

    /// <summary>A record without a readable change time was rejected: the cursor must not move at all.</summary>
    public bool HoldAll { get; init; }

    public bool Completed { get; init; }

    public long? ReportedTotal { get; init; }

    public DateTimeOffset? LastSyncedAt { get; init; }

    /// <summary>
    /// Records of this entity type that runs have stored for the connection, ever: each page adds what it created,
    /// in the checkpoint that saves its cursor, so a page repeated after a crash is counted once.
    /// </summary>
    public long StoredRecords { get; init; }
}

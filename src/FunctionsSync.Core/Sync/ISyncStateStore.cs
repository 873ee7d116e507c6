using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// Per-connection sync state: the lease, the cursors and the runs. A checkpoint writes all three atomically
/// and only while the caller still holds the lease.
/// </summary>
public interface ISyncStateStore
{
    /// <summary>Takes the lease of the connection's <paramref name="lane"/> if it is free or expired (ETag-conditional); otherwise reports who holds it.</summary>
    Task<LeaseAttempt> TryAcquireLeaseAsync(string connectionId, SyncLane lane, string owner, TimeSpan duration, CancellationToken cancellationToken);

    Task<SyncLease?> GetLeaseAsync(string connectionId, SyncLane lane, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically renews the lease (or releases it), records the active run and writes the run and the cursors.
    /// </summary>
    /// <exception cref="LeaseLostException">The lease changed since <paramref name="lease"/> was read.</exception>
    Task<SyncLease> CheckpointAsync(SyncLease lease, Checkpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>
    /// Rewinds the cursors of <paramref name="types"/> to a full read (<see cref="EntityCursor.Rewound"/>) unless a run
    /// is in flight or a runner holds the lease; written with the lease row's version, so a run queued or taken meanwhile
    /// makes the reset look again.
    /// </summary>
    Task<CursorReset> ResetCursorsAsync(string connectionId, IReadOnlyList<EntityType> types, CancellationToken cancellationToken);

    /// <summary>The cursors of the connection's <paramref name="lane"/> (a backfill's are its own, never the schedule's).</summary>
    Task<IReadOnlyDictionary<EntityType, EntityCursor>> GetCursorsAsync(string connectionId, SyncLane lane, CancellationToken cancellationToken);

    Task<SyncRun?> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="run"/> (status queued) as the active run of its lane (<see cref="SyncLanes.Of"/>), unless
    /// another run is active there: a lane never has two runs in flight. The queued run is what the next lease holder picks up.
    /// </summary>
    /// <param name="known">The connection's state as just listed (saves a read); null when unknown.</param>
    /// <param name="unlessSyncedSince">When set, also refuses if the connection's last run finished after this moment
    /// (a scheduled job planned before that run ended has nothing left to do).</param>
    Task<QueueRunResult> TryQueueRunAsync(SyncRun run, ConnectionSyncState? known, DateTimeOffset? unlessSyncedSince, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a run that no runner holds (a job that could not be processed): marks it failed with the reason and frees
    /// the connection. Does nothing while a runner holds the lease, and nothing to a final run.
    /// </summary>
    Task<bool> FailUnheldRunAsync(string runId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a run that no runner holds (queued, paused, interrupted) with <paramref name="change"/> (null: leave it);
    /// when the changed run is final and is the connection's active run, the connection is freed.
    /// </summary>
    /// <returns>The changed run, or null when the run is held by a runner, missing, or <paramref name="change"/> declined.</returns>
    Task<SyncRun?> ChangeUnheldRunAsync(string runId, Func<SyncRun, SyncRun?> change, DateTimeOffset now, CancellationToken cancellationToken);

    Task<RunControl?> GetControlAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Sets (or with null clears) the operator request of a run.</summary>
    Task SetControlAsync(string runId, RunControl? control, CancellationToken cancellationToken);

    /// <summary>Records the phase of a running run without a full checkpoint (one small merge).</summary>
    Task SetPhaseAsync(string runId, string phase, CancellationToken cancellationToken);

    /// <summary>The sync situation (its main lane) of every connection that has ever been synced (one query).</summary>
    Task<IReadOnlyDictionary<string, ConnectionSyncState>> ListConnectionStatesAsync(CancellationToken cancellationToken);

    Task<ConnectionSyncState?> GetConnectionStateAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>Runs of a connection, newest first.</summary>
    Task<IReadOnlyList<SyncRun>> ListRunsAsync(string connectionId, int take, CancellationToken cancellationToken);

    /// <summary>One page of a connection's runs, newest first (a key range of its partition).</summary>
    /// <exception cref="FormatException"><paramref name="continuationToken"/> is not one this store handed out.</exception>
    Task<RunPage> ListRunsPageAsync(string connectionId, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>
    /// One page of ended runs across connections, newest first (by start): of one organization (null: all), of one final
    /// <paramref name="status"/> (null: any). A key range of an index the store keeps as runs end.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="continuationToken"/> is not one this store handed out.</exception>
    Task<RunPage> ListEndedRunsAsync(string? organizationId, RunStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken);
}

namespace FunctionsSync.Core.Sync;

/// <param name="Queued">The run was recorded as the connection's active run.</param>
/// <param name="ActiveRunId">When not queued because a run is in flight: that run.</param>
/// <param name="SyncedByRunId">When not queued because the connection synced after the given moment: the run that did.</param>
public sealed record QueueRunResult(bool Queued, string? ActiveRunId, string? SyncedByRunId = null);

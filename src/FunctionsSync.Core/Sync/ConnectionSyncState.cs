using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Sync;

/// <summary>A connection's sync situation as its lease row records it: what runs now and how the last run ended.</summary>
/// <param name="Version">Concurrency token of the lease row, so a cycle can queue a run without reading it again.</param>
public sealed record ConnectionSyncState(
    string ConnectionId,
    string? ActiveRunId,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    string? LastRunId,
    RunStatus? LastRunStatus,
    DateTimeOffset? LastRunFinishedAt,
    DateTimeOffset? LastSuccessAt,
    string? Version = null);

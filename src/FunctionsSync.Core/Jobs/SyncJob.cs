using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Jobs;

/// <summary>A queue message: run this run of this connection.</summary>
/// <param name="PlannedAt">Set on a scheduled cycle's jobs, whose runs are recorded only when a worker starts them:
/// the moment the cycle planned the job. Null when the run was recorded (queued) before the job was sent.</param>
public sealed record SyncJob(
    string RunId,
    string ConnectionId,
    string OrganizationId,
    SyncMode Mode,
    IReadOnlyList<EntityType> EntityTypes,
    RunTrigger Trigger,
    string? CycleId,
    DateTimeOffset? PlannedAt = null);

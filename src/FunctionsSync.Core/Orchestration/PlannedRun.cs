using FunctionsSync.Core.Jobs;

namespace FunctionsSync.Core.Orchestration;

/// <param name="InstanceId">ConnectionSync instance id, derived from the connection (it is the run id).</param>
/// <param name="Planned">A scheduled cycle's job, whose run the first SyncPage records; null when the run is recorded.</param>
public sealed record PlannedRun(string RunId, string ConnectionId, string OrganizationId, string InstanceId, SyncJob? Planned = null);

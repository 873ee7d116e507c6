namespace FunctionsSync.Core.Orchestration;

/// <param name="InstanceId">ConnectionSync instance id, derived from the connection (it is the run id).</param>
public sealed record PlannedRun(string RunId, string ConnectionId, string OrganizationId, string InstanceId);

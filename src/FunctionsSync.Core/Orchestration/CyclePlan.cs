namespace FunctionsSync.Core.Orchestration;

/// <summary>Output of the PlanCycle activity: the runs to start, with the caps the orchestrator must respect.</summary>
public sealed record CyclePlan(
    string CycleId,
    IReadOnlyList<PlannedRun> Runs,
    int OrganizationConcurrency,
    int GlobalConcurrency,
    int PagesPerGeneration,
    ActivityRetry Retry,
    TimeSpan PausedRecheckInterval,
    CycleCounts Counts);

/// <param name="InstanceId">ConnectionSync instance id, derived from the connection (it is the run id).</param>
public sealed record PlannedRun(string RunId, string ConnectionId, string OrganizationId, string InstanceId);

public sealed record CycleCounts(int Considered, int Due, int Disabled, int NeedsAttention, int Active, int NotDue);

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

using FunctionsSync.Core.Scheduling;

namespace FunctionsSync.Core.Orchestration;

/// <summary>Output of the PlanCycle activity: the runs to start, with the caps and sizes the orchestrators must respect.</summary>
/// <param name="Lanes">At most this many CycleLane orchestrations share the runs.</param>
/// <param name="RunsPerLaneGeneration">Runs a lane starts before it continues as new.</param>
public sealed record CyclePlan(
    string CycleId,
    IReadOnlyList<PlannedRun> Runs,
    int OrganizationConcurrency,
    int GlobalConcurrency,
    int PagesPerGeneration,
    ActivityRetry Retry,
    TimeSpan PausedRecheckInterval,
    CycleCounts Counts,
    int Lanes = 8,
    int RunsPerLaneGeneration = 100)
{
    public CycleKind Kind { get; init; }

    /// <summary>A full cycle asked for through the API: the connections it left out, by name (the scheduled cycles' plans leave this empty).</summary>
    public IReadOnlyList<SkippedConnection> Skipped { get; init; } = [];

    /// <summary>How many runs this cycle queued (the requeued ones, last in <see cref="Runs"/>, are not its own).</summary>
    public int Queued => Runs.Count - Counts.Requeued;

    /// <summary>The runs this cycle queued, as a cycle summary lists them.</summary>
    public IEnumerable<string> QueuedRunIds => Runs.Take(Queued).Select(r => r.RunId);
}

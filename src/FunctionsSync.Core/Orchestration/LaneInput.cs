namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// A CycleLane orchestration's input: the lane's runs not yet started (plan order), its caps, and what earlier
/// generations of the lane already counted. ContinueAsNew carries it forward with the remaining runs.
/// </summary>
/// <param name="RunsPerGeneration">Runs started per generation before the lane drains and continues as new.</param>
public sealed record LaneInput(
    string CycleId,
    int Lane,
    IReadOnlyList<PlannedRun> Runs,
    int Concurrency,
    int OrganizationConcurrency,
    int RunsPerGeneration,
    int PagesPerGeneration,
    ActivityRetry Retry,
    TimeSpan PausedRecheckInterval,
    CycleTotals Totals,
    int Generation = 0);

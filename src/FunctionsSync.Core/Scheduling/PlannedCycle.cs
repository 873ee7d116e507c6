using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Scheduling;

/// <param name="Queued">The jobs of this cycle, in start order: a full cycle's runs are recorded (queued) already, a
/// scheduled cycle's are recorded when they start (<see cref="SyncJob.PlannedAt"/>).</param>
/// <param name="Requeued">Runs queued long ago that never started; to be dispatched again.</param>
/// <param name="Conflicts">Due connections that got an active run between selection and queuing.</param>
public sealed record PlannedCycle(
    string CycleId,
    CycleKind Kind,
    DateTimeOffset StartedAt,
    int Considered,
    DueSelection Selection,
    IReadOnlyList<SyncJob> Queued,
    IReadOnlyList<SyncRun> Requeued,
    int Conflicts)
{
    public CycleSummary Summary(DateTimeOffset finishedAt) => new()
    {
        CycleId = CycleId,
        Kind = Kind.WireName(),
        StartedAt = StartedAt,
        FinishedAt = finishedAt,
        Considered = Considered,
        Due = Selection.Due.Count,
        Queued = Queued.Count,
        Requeued = Requeued.Count,
        SkippedDisabled = Selection.Disabled,
        SkippedNeedsAttention = Selection.NeedsAttention,
        SkippedActive = Selection.Active + Conflicts,
        SkippedNotDue = Selection.NotDue,
        RunIds = [.. Queued.Select(r => r.RunId)],
    };
}

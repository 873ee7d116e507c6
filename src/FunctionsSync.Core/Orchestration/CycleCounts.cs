namespace FunctionsSync.Core.Orchestration;

/// <param name="Requeued">Of the plan's runs, those queued long ago that never started (the last ones of <see cref="CyclePlan.Runs"/>).</param>
public sealed record CycleCounts(int Considered, int Due, int Disabled, int NeedsAttention, int Active, int NotDue, int Requeued = 0);

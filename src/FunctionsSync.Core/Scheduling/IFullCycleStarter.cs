using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Scheduling;

/// <summary>
/// Starts the full cycle <c>POST /api/sync/run-full</c> asks for, as the host runs cycles: the self-hosted runtime
/// plans it and queues its runs (<see cref="PlannerFullCycleStarter"/>); the Functions app plans it and starts it as a
/// SyncCycle orchestration, so the organization and global caps apply.
/// </summary>
public interface IFullCycleStarter
{
    Task<RunFullAccepted> StartAsync(string? organizationId, CancellationToken cancellationToken);
}

/// <summary>The self-hosted runtime's: the planner queues the cycle's runs at once.</summary>
public sealed class PlannerFullCycleStarter(CyclePlanner planner) : IFullCycleStarter
{
    public async Task<RunFullAccepted> StartAsync(string? organizationId, CancellationToken cancellationToken)
    {
        var (summary, skipped) = await planner.RunNamingSkippedAsync(CycleKind.Full, organizationId, cancellationToken);
        return new RunFullAccepted(summary.CycleId, summary.Queued, summary.SkippedActive, summary.RunIds, summary.SkippedNeedsAttention, summary.SkippedDisabled, skipped);
    }
}

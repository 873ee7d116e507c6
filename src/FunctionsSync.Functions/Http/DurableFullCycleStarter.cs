using FunctionsSync.Core.Api;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Scheduling;

namespace FunctionsSync.Functions.Http;

/// <summary>
/// A full cycle on Functions is a SyncCycle orchestration (kind full, instance id = cycle id), so the per-organization
/// and global caps apply. It is planned here, as the self-hosted runtime plans it, so the answer names the runs it
/// queued; <see cref="ApiFunction"/> starts it once the handler has answered.
/// </summary>
public sealed class DurableFullCycleStarter(SyncActivities activities) : IFullCycleStarter
{
    public async Task<RunFullAccepted> StartAsync(string? organizationId, CancellationToken cancellationToken)
    {
        var input = new CycleInput(CycleKind.Full, organizationId);
        var plan = await activities.PlanCycleAsync(input, cancellationToken);
        CollectingRunDispatcher.StartCycle(input with { Plan = plan });
        return new RunFullAccepted(plan.CycleId, plan.Queued, plan.Counts.Active, [.. plan.QueuedRunIds], plan.Counts.NeedsAttention, plan.Counts.Disabled, plan.Skipped);
    }
}

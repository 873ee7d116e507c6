using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Scheduling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Functions.Timer;

/// <summary>
/// Fires on the <c>SyncSchedule</c> app setting; starts the singleton SyncCycle when the persisted schedule is enabled
/// and has an occurrence due (so <c>/api/sync/stop</c> and <c>/api/sync/interval</c> rule, as in the self-hosted runtime).
/// </summary>
public sealed class SyncTimer(ScheduleTicker ticker, ILogger<SyncTimer> logger)
{
    [Function("SyncTimer")]
    public async Task RunAsync([TimerTrigger("%SyncSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        var existing = await client.GetInstanceAsync(OrchestrationNames.CycleInstanceId, false, cancellationToken);
        if (existing is not null && existing.RuntimeStatus is not (OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
        {
            logger.LogInformation("SyncCycle is still {Status}; not starting another", existing.RuntimeStatus);
            return;
        }

        if (await ticker.TryClaimDueCycleAsync(cancellationToken) is not { } occurrence)
        {
            return;
        }

        await client.ScheduleNewOrchestrationInstanceAsync(
            OrchestrationNames.SyncCycle, new CycleInput(CycleKind.Scheduled, null), new StartOrchestrationOptions(InstanceId: OrchestrationNames.CycleInstanceId), cancellationToken);
        logger.LogInformation("SyncCycle started for {Occurrence:O}", occurrence);
    }
}

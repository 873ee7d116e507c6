using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Orchestration;

/// <summary>
/// What a function's handler started (runs, resumed runs, full cycles), collected by <see cref="CollectingRunDispatcher"/>,
/// as Durable orchestrations: a <c>ConnectionSync</c> instance per run (started at its delay), the resume event for a
/// paused one, a <c>SyncCycle</c> per cycle. Called before the function answers, so what it reports started will run.
/// </summary>
public sealed class CollectedRunStarter(SyncActivities activities, TimeProvider time)
{
    public async Task StartAsync(CollectingRunDispatcher.Scope started, DurableTaskClient client, CancellationToken cancellationToken)
    {
        foreach (var (job, delay, resumed) in started.Runs)
        {
            var instanceId = SyncActivities.InstanceIdFor(job.RunId);
            if (resumed)
            {
                // The paused run's ConnectionSync instance waits for the event: raise it instead of starting a new one.
                await client.RaiseEventAsync(instanceId, OrchestrationNames.ResumeEvent, null, cancellationToken);
                continue;
            }

            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.ConnectionSync,
                activities.InputFor(job.RunId, job.ConnectionId),
                new StartOrchestrationOptions(InstanceId: instanceId, StartAt: delay > TimeSpan.Zero ? time.GetUtcNow() + delay : null),
                cancellationToken);
        }

        foreach (var cycle in started.Cycles)
        {
            // A crash before it starts leaves its runs queued; the next cycle dispatches stale queued runs again.
            await client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.SyncCycle, cycle, new StartOrchestrationOptions(InstanceId: cycle.Plan!.CycleId), cancellationToken);
        }
    }
}

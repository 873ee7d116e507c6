using FunctionsSync.Core.Orchestration;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Activities;

public sealed class PlanCycleActivity(SyncActivities activities)
{
    [Function(OrchestrationNames.PlanCycle)]
    public Task<CyclePlan> RunAsync([ActivityTrigger] CycleInput input, CancellationToken cancellationToken) =>
        activities.PlanCycleAsync(input, cancellationToken);
}

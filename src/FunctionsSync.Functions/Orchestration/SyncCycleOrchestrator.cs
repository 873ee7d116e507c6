using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Scheduling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace FunctionsSync.Functions.Orchestration;

public static class SyncCycleOrchestrator
{
    [Function(OrchestrationNames.SyncCycle)]
    public static Task<CycleResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        SyncCycleOrchestration.RunAsync(new DurableOrchestrationCalls(context), context.GetInput<CycleInput>() ?? new CycleInput(CycleKind.Scheduled, null));
}

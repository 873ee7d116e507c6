using FunctionsSync.Core.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace FunctionsSync.Functions.Orchestration;

public static class CycleLaneOrchestrator
{
    [Function(OrchestrationNames.CycleLane)]
    public static Task<CycleTotals?> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CycleLaneOrchestration.RunAsync(new DurableOrchestrationCalls(context), context.GetInput<LaneInput>()
            ?? throw new InvalidOperationException("CycleLane needs a LaneInput."));
}

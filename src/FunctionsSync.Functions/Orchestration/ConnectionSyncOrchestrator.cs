using FunctionsSync.Core.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace FunctionsSync.Functions.Orchestration;

public static class ConnectionSyncOrchestrator
{
    [Function(OrchestrationNames.ConnectionSync)]
    public static Task<PageResult?> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        ConnectionSyncOrchestration.RunAsync(new DurableOrchestrationCalls(context), context.GetInput<ConnectionSyncInput>()
            ?? throw new InvalidOperationException("ConnectionSync needs a ConnectionSyncInput."));
}

using FunctionsSync.Core.Orchestration;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Activities;

public sealed class RecordCycleActivity(SyncActivities activities)
{
    [Function(OrchestrationNames.RecordCycle)]
    public Task<bool> RunAsync([ActivityTrigger] CycleRecord input, CancellationToken cancellationToken) =>
        activities.RecordCycleAsync(input, cancellationToken);
}

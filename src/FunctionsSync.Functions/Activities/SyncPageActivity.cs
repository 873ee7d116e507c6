using FunctionsSync.Core.Orchestration;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Activities;

public sealed class SyncPageActivity(SyncActivities activities)
{
    [Function(OrchestrationNames.SyncPage)]
    public Task<PageResult> RunAsync([ActivityTrigger] PageRequest input, CancellationToken cancellationToken) =>
        activities.SyncPageAsync(input, cancellationToken);
}

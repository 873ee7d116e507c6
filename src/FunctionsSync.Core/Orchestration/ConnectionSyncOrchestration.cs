namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// The ConnectionSync orchestrator's logic: one SyncPage activity per page until the run is done, waiting out a busy
/// connection and a pause, and continuing as new every <see cref="ConnectionSyncInput.PagesPerGeneration"/> pages so
/// the history of a long run stays small. Cancel is the run's own state (the next page ends it) or Durable's terminate.
/// </summary>
public static class ConnectionSyncOrchestration
{
    private static readonly TimeSpan DefaultBusyWait = TimeSpan.FromSeconds(30);

    public static async Task<PageResult?> RunAsync(IOrchestrationCalls context, ConnectionSyncInput input)
    {
        for (var page = 0; page < input.PagesPerGeneration; page++)
        {
            var result = await context.CallActivityAsync<PageResult>(
                OrchestrationNames.SyncPage, new PageRequest(input.RunId, input.ConnectionId, context.InstanceId, input.Planned), input.Retry);
            context.SetStatus(new { runId = input.RunId, kind = result.Kind.ToString(), result.Processed, result.Total, input.Generation });
            switch (result.Kind)
            {
                case PageResultKind.Done:
                    return result;
                case PageResultKind.Busy:
                    await context.DelayAsync(result.RetryAfter ?? DefaultBusyWait);
                    break;
                case PageResultKind.Paused:
                    await context.WaitForEventAsync(OrchestrationNames.ResumeEvent, input.PausedRecheckInterval);
                    break;
            }
        }

        context.ContinueAsNew(input with { Generation = input.Generation + 1 });
        return null;
    }
}

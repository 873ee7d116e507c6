using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Retention;
using FunctionsSync.Core.Webhooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Functions.Timer;

/// <summary>
/// What the self-hosted runtime's background loops do, on the <c>MaintenanceSchedule</c> app setting: due webhook
/// retries and outbox rows whose signal was lost, due receipt retries, the automatic conflict retries, one retention
/// batch, and purging the history of orchestrations finished more than <c>Orchestration:HistoryRetention</c> ago. Each
/// pass runs whatever the others do, as the self-hosted runtime's separate loops do: one failing pass is logged and
/// fails the invocation after the rest have run, never skips them.
/// </summary>
public sealed partial class MaintenanceTimer(
    WebhookDispatcher webhooks, ReceiptImporter receipts, ConflictResolver conflicts, IRetention retention, IOptions<OrchestrationOptions> options, TimeProvider time,
    ILogger<MaintenanceTimer> logger)
{
    private static readonly OrchestrationRuntimeStatus[] Finished = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    [Function("MaintenanceTimer")]
    public async Task RunAsync([TimerTrigger("%MaintenanceSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        (string Name, Func<Task> Run)[] passes =
        [
            ("webhook sweep", () => webhooks.SweepAsync(cancellationToken)),
            ("receipt retries", () => receipts.RetryDueAsync(cancellationToken)),
            ("conflict retries", () => conflicts.RetryDueAsync(cancellationToken)),
            ("retention", () => retention.RunOnceAsync(cancellationToken)),
            ("history purge", () => PurgeHistoryAsync(client, cancellationToken)),
        ];
        foreach (var (name, run) in passes)
        {
            try
            {
                await run();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogPassFailed(name, ex);
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} maintenance pass(es) failed; the others ran", failures);
        }
    }

    /// <summary>Deletes the history of instances finished before the retention (their runs' own records stay).</summary>
    public Task<PurgeResult> PurgeHistoryAsync(DurableTaskClient client, CancellationToken cancellationToken) =>
        client.PurgeAllInstancesAsync(
            // The Azure Storage provider needs a start of the creation-time range.
            new PurgeInstancesFilter(CreatedFrom: DateTimeOffset.UnixEpoch, CreatedTo: time.GetUtcNow() - options.Value.HistoryRetention, Statuses: Finished),
            cancellationToken);

    [LoggerMessage(7010, LogLevel.Error, "Maintenance pass {Pass} failed; the other passes ran")]
    private partial void LogPassFailed(string pass, Exception exception);
}

using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Retention;
using FunctionsSync.Core.Webhooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Functions.Timer;

/// <summary>
/// What the self-hosted runtime's background loops do, on the <c>MaintenanceSchedule</c> app setting: due webhook
/// retries and outbox rows whose signal was lost, due receipt retries, the automatic conflict retries, one retention
/// batch, and purging the history of orchestrations finished more than <c>Orchestration:HistoryRetention</c> ago.
/// </summary>
public sealed class MaintenanceTimer(
    WebhookDispatcher webhooks, ReceiptImporter receipts, ConflictResolver conflicts, IRetention retention, IOptions<OrchestrationOptions> options, TimeProvider time)
{
    private static readonly OrchestrationRuntimeStatus[] Finished = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    [Function("MaintenanceTimer")]
    public async Task RunAsync([TimerTrigger("%MaintenanceSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        await webhooks.SweepAsync(cancellationToken);
        await receipts.RetryDueAsync(cancellationToken);
        await conflicts.RetryDueAsync(cancellationToken);
        await retention.RunOnceAsync(cancellationToken);
        await PurgeHistoryAsync(client, cancellationToken);
    }

    /// <summary>Deletes the history of instances finished before the retention (their runs' own records stay).</summary>
    public Task<PurgeResult> PurgeHistoryAsync(DurableTaskClient client, CancellationToken cancellationToken) =>
        client.PurgeAllInstancesAsync(
            // The Azure Storage provider needs a start of the creation-time range.
            new PurgeInstancesFilter(CreatedFrom: DateTimeOffset.UnixEpoch, CreatedTo: time.GetUtcNow() - options.Value.HistoryRetention, Statuses: Finished),
            cancellationToken);
}

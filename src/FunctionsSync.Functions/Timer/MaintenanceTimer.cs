using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Retention;
using FunctionsSync.Core.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Timer;

/// <summary>
/// What the self-hosted runtime's background loops do, on the <c>MaintenanceSchedule</c> app setting: due webhook
/// retries and outbox rows whose signal was lost, due receipt retries, the automatic conflict retries, and one retention batch.
/// </summary>
public sealed class MaintenanceTimer(WebhookDispatcher webhooks, ReceiptImporter receipts, ConflictResolver conflicts, IRetention retention)
{
    [Function("MaintenanceTimer")]
    public async Task RunAsync([TimerTrigger("%MaintenanceSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await webhooks.SweepAsync(cancellationToken);
        await receipts.RetryDueAsync(cancellationToken);
        await conflicts.RetryDueAsync(cancellationToken);
        await retention.RunOnceAsync(cancellationToken);
    }
}

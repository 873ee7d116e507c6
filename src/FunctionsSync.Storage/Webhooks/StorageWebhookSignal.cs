using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage.Queue;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>Queue <c>webhookevents</c>: one message per outbox event (or per replayed delivery).</summary>
public sealed class StorageWebhookSignal(QueueProvider queues) : IWebhookSignal
{
    public async Task SignalAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.WebhookQueue, cancellationToken);
        await Task.WhenAll(events.Select(e => queue.AddMessageAsync(
            new CloudQueueMessage(StorageJson.Serialize(new WebhookSignalMessage(e.ConnectionId, e.EventId, null))), null, null, null, null, cancellationToken)));
    }

    public async Task SignalDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.WebhookQueue, cancellationToken);
        await queue.AddMessageAsync(new CloudQueueMessage(StorageJson.Serialize(new WebhookSignalMessage(null, null, deliveryId))), null, null, null, null, cancellationToken);
    }
}

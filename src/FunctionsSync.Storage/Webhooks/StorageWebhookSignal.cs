using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>Queue <c>webhookevents</c>: one message per outbox event (or per replayed delivery).</summary>
internal sealed class StorageWebhookSignal(QueueProvider queues) : IWebhookSignal
{
    public async Task SignalAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.WebhookQueue, cancellationToken);
        await Task.WhenAll(events.Select(e => queue.SendMessageAsync(StorageJson.Serialize(new WebhookSignalMessage(e.ConnectionId, e.EventId, null)), cancellationToken)));
    }

    public async Task SignalDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.WebhookQueue, cancellationToken);
        await queue.SendMessageAsync(StorageJson.Serialize(new WebhookSignalMessage(null, null, deliveryId)), cancellationToken);
    }
}

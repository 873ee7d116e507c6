namespace FunctionsSync.Core.Webhooks;

/// <summary>
/// Tells the dispatcher that outbox events exist (a queue message per event). Losing a signal delays an event
/// until the sweeper finds its row; it never loses it.
/// </summary>
public interface IWebhookSignal
{
    Task SignalAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken);

    /// <summary>Asks for an attempt of one delivery now (after a replay).</summary>
    Task SignalDeliveryAsync(string deliveryId, CancellationToken cancellationToken);
}

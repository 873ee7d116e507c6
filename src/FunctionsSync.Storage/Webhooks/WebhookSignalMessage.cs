namespace FunctionsSync.Storage.Webhooks;

/// <summary>A <c>webhookevents</c> message: an outbox event to dispatch, or a delivery to attempt now.</summary>
public sealed record WebhookSignalMessage(string? ConnectionId, string? EventId, string? DeliveryId);

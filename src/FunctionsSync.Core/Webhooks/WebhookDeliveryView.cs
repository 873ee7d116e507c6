using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Webhooks;

public sealed record WebhookDeliveryView(
    string Id, string EndpointId, string EventId, string EventType, DeliveryStatus Status, int Attempts, DateTimeOffset? NextAttemptAt,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, IReadOnlyList<DeliveryAttempt> Log)
{
    public static WebhookDeliveryView From(WebhookDelivery d) => new(
        d.Id, d.EndpointId, d.EventId, d.EventType, d.Status, d.Attempts, d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null,
        d.LastError, d.CreatedAt, d.DeliveredAt, d.Log);
}

namespace FunctionsSync.Core.Webhooks;

public sealed record WebhookListView(IReadOnlyList<WebhookEndpointView> Webhooks);

public sealed record DeliveryListView(IReadOnlyList<WebhookDeliveryView> Deliveries);

namespace FunctionsSync.Core.Webhooks;

/// <summary>Endpoints and their deliveries.</summary>
public interface IWebhookStore
{
    Task CreateEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken);

    Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Endpoints of one organization, or of all when <paramref name="organizationId"/> is null.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string? organizationId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the endpoint as stored and writes it back only if no one changed it
    /// meanwhile, else applies it again to what they wrote: concurrent changes are all kept. An endpoint deleted
    /// meanwhile stays deleted.
    /// </summary>
    /// <returns>The endpoint as written (as read, when <paramref name="change"/> returned null); null when it does not exist.</returns>
    Task<WebhookEndpoint?> UpdateEndpointAsync(string endpointId, Func<WebhookEndpoint, WebhookEndpoint?> change, CancellationToken cancellationToken);

    /// <summary>Removes the endpoint; its deliveries stay readable until they age out.</summary>
    Task<bool> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Creates the delivery unless it exists (an event dispatched twice creates one delivery per endpoint).</summary>
    Task<WebhookDelivery> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    Task<WebhookDelivery?> GetDeliveryAsync(string endpointId, string eventId, CancellationToken cancellationToken);

    /// <summary>Deliveries of an endpoint, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, int take, CancellationToken cancellationToken);

    /// <summary>Pending deliveries whose next attempt is due.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDueDeliveriesAsync(DateTimeOffset now, int take, CancellationToken cancellationToken);

    /// <summary>Writes the delivery if it is still at <see cref="WebhookDelivery.Version"/>; returns it with its new version, or null when someone else changed it.</summary>
    Task<WebhookDelivery?> TrySaveDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken);
}

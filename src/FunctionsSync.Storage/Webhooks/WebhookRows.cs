using Azure.Data.Tables;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>
/// Table <c>webhooks</c>: one row per endpoint (partition = endpoint id, row <c>endpoint</c>).
/// Table <c>webhookdeliveries</c>: partition = endpoint; row = event id (so an event dispatched twice still makes one
/// delivery per endpoint), and beside it row <c>log|{inverted created ticks}|{eventId}</c> with the same delivery, written
/// in the same transaction, so the newest deliveries of an endpoint are the first rows of a key range.
/// </summary>
internal static class WebhookRows
{
    public const string EndpointRow = "endpoint";

    public const string LogPrefix = "log|";

    public static TableEntity ToEntity(WebhookEndpoint endpoint) => new(endpoint.Id, EndpointRow)
    {
        ["OrganizationId"] = endpoint.OrganizationId,
        ["Json"] = StorageJson.Serialize(endpoint),
    };

    public static WebhookEndpoint EndpointOf(TableEntity entity) => StorageJson.Deserialize<WebhookEndpoint>(entity.GetString("Json"));

    public static TableEntity ToEntity(WebhookDelivery delivery) => Delivery(delivery, delivery.EventId);

    public static TableEntity ToLogEntity(WebhookDelivery delivery) => Delivery(delivery, LogKey(delivery.CreatedAt, delivery.EventId));

    public static string LogKey(DateTimeOffset createdAt, string eventId) => $"{LogPrefix}{DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks:D19}|{eventId}";

    /// <summary>Log rows of deliveries created before <paramref name="at"/> sort after this key.</summary>
    public static string LogKeyBefore(DateTimeOffset at) => $"{LogPrefix}{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}";

    public static WebhookDelivery FromEntity(TableEntity entity) =>
        StorageJson.Deserialize<WebhookDelivery>(entity.GetString("Json")) with { Version = entity.ETag.ToString() };

    /// <summary>The due index's item key of a delivery.</summary>
    public static string DueKey(string endpointId, string eventId) => $"{endpointId}|{eventId}";

    private static TableEntity Delivery(WebhookDelivery delivery, string rowKey) => new(delivery.EndpointId, rowKey)
    {
        ["Status"] = delivery.Status.ToString(),
        ["NextAttemptAt"] = delivery.NextAttemptAt,
        ["Json"] = StorageJson.Serialize(delivery with { Version = null }),
    };
}

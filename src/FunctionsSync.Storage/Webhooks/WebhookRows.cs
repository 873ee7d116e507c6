using Azure.Data.Tables;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Secrets;
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

    /// <summary>The endpoint's JSON without its signing secrets, which are encrypted (bound to the endpoint's id) in <c>Secrets</c>.</summary>
    public static TableEntity ToEntity(WebhookEndpoint endpoint, SecretCipher cipher)
    {
        var entity = new TableEntity(endpoint.Id, EndpointRow)
        {
            ["OrganizationId"] = endpoint.OrganizationId,
            ["Json"] = StorageJson.Serialize(endpoint with { Secret = "", PreviousSecret = null }),
        };
        SecretColumn.Write(entity, cipher, SecretContext(endpoint.Id), new EndpointSecrets(endpoint.Secret, endpoint.PreviousSecret), 1, "secret");
        return entity;
    }

    public static WebhookEndpoint EndpointOf(TableEntity entity, SecretCipher cipher)
    {
        var endpoint = StorageJson.Deserialize<WebhookEndpoint>(entity.GetString("Json"));
        return SecretColumn.Read<EndpointSecrets>(entity, cipher, SecretContext(endpoint.Id)) is { } secrets
            ? endpoint with { Secret = secrets.Secret, PreviousSecret = secrets.PreviousSecret }
            : endpoint;
    }

    public static bool NeedsRewrap(TableEntity entity, SecretCipher cipher) => SecretColumn.IsStale(entity, cipher);

    private static string SecretContext(string endpointId) => "webhook|" + endpointId;

    private sealed record EndpointSecrets(string Secret, string? PreviousSecret);

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

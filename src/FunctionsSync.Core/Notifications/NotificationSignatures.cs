using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Notifications;

/// <summary>
/// Each marketplace's way of signing a change notification, checked against the connection's <c>webhookSecret</c>
/// credential over the raw body, in constant time:
/// <list type="bullet">
/// <item>Shopify: <c>X-Shopify-Hmac-Sha256</c>, the base64 HMAC-SHA256 of the raw body keyed with the app's client secret;
/// deduplicated on <c>X-Shopify-Event-Id</c>, shared by every delivery of one merchant action
/// (contracts/shopify/docs/webhooks-https-delivery.md).</item>
/// <item>WooCommerce: <c>X-WC-Webhook-Signature</c>, the base64 HMAC-SHA256 of the payload keyed with the webhook's
/// secret (contracts/woocommerce/_webhooks.md). Its delivery id changes per attempt, so a change is identified by the
/// resource, its id and its <c>date_modified_gmt</c>.</item>
/// <item>Etsy: the Standard Webhooks scheme (contracts/etsy/webhooks.md): <c>webhook-signature</c> holds
/// space-separated <c>v1,{base64}</c> entries, each an HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>
/// keyed with the base64 after <c>whsec_</c> in the signing secret; a timestamp more than 300 s from now is refused
/// (a replay); deduplicated on <c>webhook-id</c>, the same on retries.</item>
/// </list>
/// Amazon's notifications come through a queue (<see cref="AmazonNotificationIntake"/>).
/// </summary>
public static class NotificationSignatures
{
    public const string SecretKey = "webhookSecret";

    /// <summary>How far an Etsy notification's timestamp may be from now (its page's margin).</summary>
    public static readonly TimeSpan EtsyTolerance = TimeSpan.FromSeconds(300);

    public static bool Supports(string marketplace) => marketplace is MarketplaceNames.Shopify or MarketplaceNames.WooCommerce or MarketplaceNames.Etsy;

    /// <summary>The verified notification, or null when the signature is missing or wrong (or the connection holds no secret).</summary>
    public static MarketplaceNotification? Verify(Connection connection, string body, Func<string, string?> header, DateTimeOffset now)
    {
        if (connection.Credentials.GetValueOrDefault(SecretKey) is not { Length: > 0 } secret)
        {
            return null;
        }

        if (connection.Marketplace == MarketplaceNames.Etsy)
        {
            return VerifyEtsy(secret, body, header, now);
        }

        var (signatureHeader, topicHeader) = connection.Marketplace == MarketplaceNames.Shopify
            ? ("X-Shopify-Hmac-Sha256", "X-Shopify-Topic")
            : ("X-WC-Webhook-Signature", "X-WC-Webhook-Topic");
        if (header(signatureHeader) is not { Length: > 0 } signature || !Matches(secret, body, signature))
        {
            return null;
        }

        var topic = header(topicHeader) ?? "";
        return connection.Marketplace == MarketplaceNames.Shopify
            ? new(header("X-Shopify-Event-Id") ?? header("X-Shopify-Webhook-Id"), topic, ShopifyTypes(topic)) { Named = ShopifyNamed(topic, body) }
            : WooNotification(topic, body);
    }

    private static MarketplaceNotification? VerifyEtsy(string secret, string body, Func<string, string?> header, DateTimeOffset now)
    {
        if (header("webhook-id") is not { Length: > 0 } id || header("webhook-signature") is not { Length: > 0 } signatures
            || !long.TryParse(header("webhook-timestamp"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > EtsyTolerance)
        {
            return null;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(secret.Contains('_', StringComparison.Ordinal) ? secret[(secret.IndexOf('_', StringComparison.Ordinal) + 1)..] : secret);
        }
        catch (FormatException)
        {
            return null;
        }

        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{seconds}.{body}"));
        var matches = signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.StartsWith("v1,", StringComparison.Ordinal))
            .Any(entry => TryBase64(entry[3..]) is { } given && CryptographicOperations.FixedTimeEquals(expected, given));
        if (!matches)
        {
            return null;
        }

        var (eventType, receipt) = ("", (string?)null);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            eventType = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("event_type", out var type) ? type.GetString() ?? "" : "";
            // The receipt the event is about, by its resource_url (contracts/etsy/webhooks.md): …/shops/{shop_id}/receipts/{receipt_id}.
            receipt = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resource_url", out var url) && url.ValueKind == JsonValueKind.String
                && url.GetString()!.Split('/') is [.., "receipts", var last] && last.Length > 0 && last.All(char.IsAsciiDigit) ? last : null;
        }
        catch (JsonException)
        {
        }

        return new(id, eventType, eventType.StartsWith("order.", StringComparison.Ordinal) ? [EntityType.Orders] : []) { Named = receipt is null ? [] : [receipt] };
    }

    private static byte[]? TryBase64(string value)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Matches(string secret, string body, string signature) =>
        TryBase64(signature.Trim()) is { } given
        && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)), given);

    /// <summary>Shopify topics are <c>{resource}/{action}</c>: <c>orders/updated</c>, <c>products/update</c>, <c>customers/create</c>.</summary>
    private static IReadOnlyList<EntityType> ShopifyTypes(string topic) => topic.Split('/')[0] switch
    {
        "orders" => [EntityType.Orders],
        "products" or "inventory_levels" or "inventory_items" => [EntityType.Products, EntityType.Prices],
        "customers" => [EntityType.Customers],
        _ => [],
    };

    /// <summary>
    /// The record a Shopify notification is about, by its body's numeric <c>id</c>: an order, product or customer (a
    /// product's id names its prices too). An inventory topic's body names an inventory item, which no feed reads by id.
    /// </summary>
    private static IReadOnlyList<string> ShopifyNamed(string topic, string body) =>
        topic.Split('/')[0] is "orders" or "products" or "customers" && NumericField(body, "id") is { } id ? [id] : [];

    /// <summary>A top-level field of a JSON object body holding a positive whole number (as a number or a string of digits).</summary>
    private static string? NumericField(string body, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) ? Numeric(value) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Numeric(JsonElement value) =>
        value.ValueKind is JsonValueKind.Number or JsonValueKind.String && value.ToString() is { Length: > 0 and <= 20 } text && text.All(char.IsAsciiDigit) && text.Any(c => c != '0')
            ? text
            : null;

    /// <summary>WooCommerce topics are <c>{resource}.{event}</c>: <c>order.updated</c>, <c>product.created</c>, <c>customer.deleted</c>.</summary>
    private static IReadOnlyList<EntityType> WooTypes(string topic) => topic.Split('.')[0] switch
    {
        "order" => [EntityType.Orders],
        "product" => [EntityType.Products, EntityType.Prices],
        "customer" => [EntityType.Customers],
        _ => [],
    };

    /// <summary>
    /// WooCommerce's notification from its body, read once: the change as the resource, its id and its
    /// <c>date_modified_gmt</c> (the same however often it is delivered), and, for <c>{resource}.deleted</c> (body
    /// <c>{"id": …}</c>), the record it names.
    /// </summary>
    private static MarketplaceNotification WooNotification(string topic, string body)
    {
        var types = WooTypes(topic);
        string? eventId = null;
        (EntityType, string)? deleted = null;
        IReadOnlyList<string> named = [];
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id))
            {
                eventId = $"{topic.Split('.')[0]}:{id}:{(root.TryGetProperty("date_modified_gmt", out var modified) ? modified.ToString() : "")}";
                // A variation's change comes as product.updated with its own id and its product's as parent_id; the
                // products list holds the product (parent_id, contracts/woocommerce/_products.md; 0 for a product).
                var product = root.TryGetProperty("parent_id", out var parent) ? Numeric(parent) : null;
                named = (product ?? Numeric(id)) is { } target ? [target] : [];
                if (topic.EndsWith(".deleted", StringComparison.Ordinal) && types is [var type, ..]
                    && id.ValueKind is JsonValueKind.Number or JsonValueKind.String && id.ToString() is { Length: > 0 } value)
                {
                    deleted = (type, value);
                }
            }
        }
        catch (JsonException)
        {
        }

        return new(eventId, topic, types) { Deleted = deleted, Named = named };
    }
}

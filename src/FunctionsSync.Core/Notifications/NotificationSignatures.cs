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
/// </list>
/// Etsy and Amazon notifications are not received yet.
/// </summary>
public static class NotificationSignatures
{
    public const string SecretKey = "webhookSecret";

    public static bool Supports(string marketplace) => marketplace is MarketplaceNames.Shopify or MarketplaceNames.WooCommerce;

    /// <summary>The verified notification, or null when the signature is missing or wrong (or the connection holds no secret).</summary>
    public static MarketplaceNotification? Verify(Connection connection, string body, Func<string, string?> header)
    {
        if (connection.Credentials.GetValueOrDefault(SecretKey) is not { Length: > 0 } secret)
        {
            return null;
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
            ? new(header("X-Shopify-Event-Id") ?? header("X-Shopify-Webhook-Id"), topic, ShopifyTypes(topic))
            : new(WooEventId(topic, body), topic, WooTypes(topic));
    }

    private static bool Matches(string secret, string body, string signature)
    {
        byte[] given;
        try
        {
            given = Convert.FromBase64String(signature.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Shopify topics are <c>{resource}/{action}</c>: <c>orders/updated</c>, <c>products/update</c>, <c>customers/create</c>.</summary>
    private static IReadOnlyList<EntityType> ShopifyTypes(string topic) => topic.Split('/')[0] switch
    {
        "orders" => [EntityType.Orders],
        "products" or "inventory_levels" or "inventory_items" => [EntityType.Products, EntityType.Prices],
        "customers" => [EntityType.Customers],
        _ => [],
    };

    /// <summary>WooCommerce topics are <c>{resource}.{event}</c>: <c>order.updated</c>, <c>product.created</c>, <c>customer.deleted</c>.</summary>
    private static IReadOnlyList<EntityType> WooTypes(string topic) => topic.Split('.')[0] switch
    {
        "order" => [EntityType.Orders],
        "product" => [EntityType.Products, EntityType.Prices],
        "customer" => [EntityType.Customers],
        _ => [],
    };

    /// <summary>The resource, its id and its modification time: the same change however often it is delivered.</summary>
    private static string? WooEventId(string topic, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id)
                ? $"{topic.Split('.')[0]}:{id}:{(root.TryGetProperty("date_modified_gmt", out var modified) ? modified.ToString() : "")}"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

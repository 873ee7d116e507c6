using System.Text.Json;

namespace FunctionsSync.Core.Notifications;

/// <summary>
/// An SP-API <c>ORDER_CHANGE</c> notification as Amazon delivers it to an SQS queue (contracts/amazon/OrderChangeNotification.json:
/// <c>NotificationVersion</c>, <c>NotificationType</c>, <c>PayloadVersion</c>, <c>EventTime</c>, <c>Payload.OrderChangeNotification</c>
/// with <c>SellerId</c> and <c>AmazonOrderId</c>, <c>NotificationMetadata.NotificationId</c>), read for what it is about,
/// never for what it says the order is.
/// </summary>
public sealed record AmazonOrderChange(string NotificationId, string SellerId, string AmazonOrderId)
{
    public const string Type = "ORDER_CHANGE";

    /// <summary>The notification, or why the message is not one (malformed, another type).</summary>
    public static (AmazonOrderChange? Change, string? Refused) Parse(string message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            if (Text(root, "NotificationType") is not { } type)
            {
                return (null, "no NotificationType");
            }

            if (type != Type)
            {
                return (null, $"a {type} notification, not {Type}");
            }

            var change = root.TryGetProperty("Payload", out var payload) && payload.TryGetProperty("OrderChangeNotification", out var c) ? c : default;
            var id = root.TryGetProperty("NotificationMetadata", out var metadata) ? Text(metadata, "NotificationId") : null;
            return Text(change, "SellerId") is { } seller && Text(change, "AmazonOrderId") is { } order && id is not null
                ? (new AmazonOrderChange(id, seller, order), null)
                : (null, "no NotificationMetadata.NotificationId, Payload.OrderChangeNotification.SellerId or .AmazonOrderId");
        }
        catch (JsonException)
        {
            return (null, "not JSON");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}

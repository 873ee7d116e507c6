using System.Text.Json;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Notifications;

namespace FunctionsSync.Core.Privacy;

/// <summary>
/// Shopify's mandatory compliance topics (contracts/shopify/docs/compliance-webhooks.md), verified like any Shopify
/// notification before they get here: <c>customers/redact</c> erases the customer's personal data
/// (<see cref="CustomerRedaction"/>); <c>customers/data_request</c> is recorded in the connection's activity for the
/// operator to answer the store owner from the records API (this service has no channel to the store owner);
/// <c>shop/redact</c> erases the shop's data (<see cref="ShopRedaction"/>).
/// </summary>
public sealed class ShopifyCompliance(CustomerRedaction redaction, ShopRedaction shopRedaction, IActivityLog activity, TimeProvider time)
{
    public static IReadOnlySet<string> Topics { get; } = new HashSet<string>(StringComparer.Ordinal) { "customers/data_request", "customers/redact", "shop/redact" };

    public async Task<ApiResult<NotificationAccepted>> HandleAsync(Connection connection, string topic, string body, CancellationToken cancellationToken)
    {
        if (topic == "shop/redact")
        {
            return ApiResult.Ok(new NotificationAccepted("redacted", null) { ShopRedaction = await shopRedaction.RedactAsync(connection, cancellationToken) });
        }

        if (!TryRead(body, out var customerId, out var orderIds))
        {
            return Problems.BadRequest($"A {topic} body names customer.id and its orders.");
        }

        if (topic == "customers/redact")
        {
            var done = await redaction.RedactAsync(connection, customerId, orderIds, cancellationToken);
            return ApiResult.Ok(new NotificationAccepted("redacted", null) { Redaction = done });
        }

        await activity.AppendAsync(new ActivityEntry(connection.Id, time.GetUtcNow(), "shopify:customers/data_request", "customer.data_requested", $"customers {customerId}",
            $"The store owner asks for the data held about this customer and orders {string.Join(", ", orderIds)}: read them with the records API and send them to the store owner."), cancellationToken);
        return ApiResult.Ok(new NotificationAccepted("recorded", null));
    }

    /// <summary>The customer's id and the order ids (<c>orders_to_redact</c> or <c>orders_requested</c>), as strings.</summary>
    private static bool TryRead(string body, out string customerId, out IReadOnlyList<string> orderIds)
    {
        customerId = "";
        orderIds = [];
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("customer", out var customer) || customer.ValueKind != JsonValueKind.Object
                || !customer.TryGetProperty("id", out var id) || id.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
            {
                return false;
            }

            customerId = id.ToString();
            var orders = root.TryGetProperty("orders_to_redact", out var redact) ? redact : root.TryGetProperty("orders_requested", out var requested) ? requested : default;
            orderIds = orders.ValueKind == JsonValueKind.Array ? [.. orders.EnumerateArray().Where(o => o.ValueKind is JsonValueKind.Number or JsonValueKind.String).Select(o => o.ToString())] : [];
            return customerId.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

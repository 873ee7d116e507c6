using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// Amazon SP-API Orders v0 <c>getOrderItems</c>: one order's items, paged by NextToken, on the operation's own budget
/// (0.5 requests/s, burst 30; <c>Marketplaces:RateLimits:amazon.getOrderItems</c>), apart from getOrders'.
/// </summary>
public sealed class AmazonOrderItemsApi(MarketplaceHttp http)
{
    public const string Operation = "getOrderItems";

    /// <summary>The order's lines; a malformed item throws <see cref="RecordFieldException"/> (the order is rejected, the page goes on).</summary>
    public async Task<IReadOnlyList<OrderLine>> LinesAsync(Connection connection, string orderId, CancellationToken cancellationToken)
    {
        var items = new List<AmazonOrderLines.Item>();
        string? next = null;
        var what = $"amazon order items of {orderId}";
        do
        {
            var uri = new Uri($"{AmazonOrdersApi.BaseUrl(connection)}/orders/v0/orders/{Uri.EscapeDataString(orderId)}/orderItems"
                + (next is null ? "" : $"?NextToken={Uri.EscapeDataString(next)}"));
            using var response = await http.SendJsonAsync(connection, Operation, HttpMethod.Get, uri, null, AmazonOrdersApi.Authorize(connection), what, cancellationToken);
            if (response.Root.Opt("payload") is not { } payload || payload.Opt("OrderItems") is not { ValueKind: JsonValueKind.Array } page)
            {
                throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no 'payload.OrderItems' array");
            }

            items.AddRange(page.EnumerateArray().Select(Item));
            var token = payload.OptStr("NextToken") is { Length: > 0 } t ? t : null;
            next = token is not null && token == next
                ? throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: NextToken did not move") // it would page forever
                : token;
        }
        while (next is not null);

        return AmazonOrderLines.From(items);
    }

    private static AmazonOrderLines.Item Item(JsonElement item) => new(
        item.OptStr("SellerSKU"),
        item.OptStr("ASIN"),
        item.OptInt("QuantityOrdered") ?? throw new RecordFieldException("QuantityOrdered", "missing or unreadable"),
        // Amazon leaves ItemPrice out of items of pending orders.
        item.Opt("ItemPrice")?.Decimal("Amount") ?? 0);
}

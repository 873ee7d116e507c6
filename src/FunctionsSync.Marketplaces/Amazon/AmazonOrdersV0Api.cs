using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// Amazon SP-API Orders v0 <c>getOrders</c> (0.0167 requests/s, burst 20, 100 orders a page; deprecated in
/// contracts/amazon/ordersV0.json, replaced by <see cref="AmazonSearchOrdersApi"/>, kept behind
/// <c>settings.ordersApi: "v0"</c> until its removal): orders changed in a window. <c>LastUpdatedBefore</c> defaults to Amazon's own (two minutes ago), so an order changing right now is read
/// by the next run rather than missed. Each order's items come from getOrderItems (<see cref="AmazonOrderItemsApi"/>)
/// unless the connection sets <c>orderItems: false</c>; pages are then <see cref="AmazonOptions.OrdersPerPageWithItems"/>
/// orders, which the items' own budget serves within a lease.
/// </summary>
public sealed class AmazonOrdersV0Api(MarketplaceHttp http, AmazonOrderItemsApi items, IOptions<AmazonOptions> options)
{
    public const int MaxPageSize = 100;

    public async Task<FetchPage> PageAsync(Connection connection, DateTimeOffset after, DateTimeOffset? before, string? nextToken, int pageSize, CancellationToken cancellationToken)
    {
        var settings = AmazonSettings.Of(connection);
        var withItems = settings.OrderItems;
        var marketplaceIds = Uri.EscapeDataString(settings.MarketplaceId);
        var query = nextToken is not null
            ? $"MarketplaceIds={marketplaceIds}&NextToken={Uri.EscapeDataString(nextToken)}"
            : $"MarketplaceIds={marketplaceIds}&MaxResultsPerPage={Math.Clamp(pageSize, 1, withItems ? options.Value.OrdersPerPageWithItems : MaxPageSize)}&LastUpdatedAfter={Uri.EscapeDataString(AdapterSupport.Iso(after))}"
              + (before is { } b ? $"&LastUpdatedBefore={Uri.EscapeDataString(AdapterSupport.Iso(b))}" : "");
        const string what = "amazon orders page";
        using var response = await http.GetJsonAsync(connection, new Uri($"{AmazonOrdersApi.BaseUrl(connection)}/orders/v0/orders?{query}"), AmazonOrdersApi.Authorize(connection), what, cancellationToken);

        if (response.Root.Opt("payload") is not { } payload || payload.Opt("Orders") is not { } orders)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no 'payload.Orders' array");
        }

        var (records, rejected) = RecordMapper.Map(orders, what, o => [MapOrder(o)], o => o.OptId("AmazonOrderId"), o => o.OptDate("LastUpdateDate"));
        if (withItems)
        {
            records = await WithItemsAsync(connection, records, rejected, cancellationToken);
        }

        var next = payload.OptStr("NextToken") is { Length: > 0 } n ? n : null;
        return new FetchPage(records, rejected, next, null, AmazonOrdersApi.RateLimitOf(response));
    }

    /// <summary>The orders with their lines; an order whose items cannot be read is rejected with the reason, the rest go on.</summary>
    private async Task<List<CanonicalRecord>> WithItemsAsync(Connection connection, List<CanonicalRecord> records, List<RejectedRecord> rejected, CancellationToken cancellationToken)
    {
        var complete = new List<CanonicalRecord>(records.Count);
        foreach (var order in records.Cast<OrderRecord>())
        {
            try
            {
                complete.Add(order with { Lines = await items.LinesAsync(connection, order.ExternalId, cancellationToken) });
            }
            catch (RecordFieldException ex)
            {
                rejected.Add(new RejectedRecord(order.ExternalId, order.UpdatedAt, $"amazon order items of {order.ExternalId}: {ex.Message}"));
            }
        }

        return complete;
    }

    /// <summary>
    /// The order as the order report gives it too (<see cref="AmazonOrderRows"/>), so a full sync from a report and an
    /// incremental one agree: no buyer email, which Amazon gives only behind a restricted data token this adapter does not request.
    /// </summary>
    private static OrderRecord MapOrder(JsonElement o)
    {
        var status = o.Str("OrderStatus");
        // Amazon leaves OrderTotal out of pending orders; anywhere else its absence is a broken record.
        var total = o.Opt("OrderTotal") ?? (status == "Pending" ? (JsonElement?)null : throw new RecordFieldException("OrderTotal", "missing"));
        return new OrderRecord
        {
            ExternalId = o.Str("AmazonOrderId"),
            UpdatedAt = o.Date("LastUpdateDate"),
            OrderNumber = o.Str("AmazonOrderId"),
            Status = status,
            Currency = total?.Str("CurrencyCode") ?? "",
            Total = total?.Decimal("Amount") ?? 0,
            CreatedAt = o.OptDate("PurchaseDate"),
        };
    }
}

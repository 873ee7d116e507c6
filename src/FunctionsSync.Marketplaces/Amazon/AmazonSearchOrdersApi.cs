using System.Globalization;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// Amazon SP-API Orders <c>2026-01-01</c> <c>searchOrders</c> (contracts/amazon/orders_2026-01-01.json): orders
/// changed in a window (<c>lastUpdatedAfter</c>, exactly one of it and <c>createdAfter</c>; <c>lastUpdatedBefore</c>),
/// <c>marketplaceIds</c>, up to 100 a page (<c>maxResultsPerPage</c>), the next page by <c>paginationToken</c> (valid
/// 24 h) with the same filters. Each order carries its items (<c>orderItems</c>, always returned) and, through
/// <c>includedData=PROCEEDS,FULFILLMENT</c>, its total and status: no per-order getOrderItems call. Budget: 0.0056
/// requests/s, burst 20 (the operation's usage plan), apart from v0's.
/// </summary>
public sealed class AmazonSearchOrdersApi(MarketplaceHttp http)
{
    public const string Version = "2026-01-01";
    public const string Operation = "searchOrders";
    public const string GetOperation = "getOrder";

    /// <summary>Named orders read in one page (one getOrder each), so a page's write stays small and the burst lasts.</summary>
    public const int OrdersPerIdPage = 10;
    private const string TokenPrefix = "so1";

    public async Task<FetchPage> PageAsync(Connection connection, DateTimeOffset after, DateTimeOffset? before, string? pageToken, int pageSize, CancellationToken cancellationToken)
    {
        string? pagination = null;
        if (pageToken is not null && !TryDecode(pageToken, out after, out before, out pagination))
        {
            throw AdapterSupport.BadToken(MarketplaceNames.Amazon, pageToken);
        }

        var query = new StringBuilder()
            .Append("marketplaceIds=").Append(Uri.EscapeDataString(AmazonSettings.Of(connection).MarketplaceId))
            .Append("&lastUpdatedAfter=").Append(Uri.EscapeDataString(AdapterSupport.Iso(after)))
            .Append("&maxResultsPerPage=").Append(Math.Clamp(pageSize, 1, AmazonOrdersApi.MaxPageSize).ToString(CultureInfo.InvariantCulture))
            .Append("&includedData=PROCEEDS,FULFILLMENT");
        if (before is { } b)
        {
            query.Append("&lastUpdatedBefore=").Append(Uri.EscapeDataString(AdapterSupport.Iso(b)));
        }

        if (pagination is not null)
        {
            query.Append("&paginationToken=").Append(Uri.EscapeDataString(pagination));
        }

        const string what = "amazon orders page (searchOrders)";
        using var response = await http.SendJsonAsync(
            connection, Operation, HttpMethod.Get, new Uri($"{AmazonOrdersApi.BaseUrl(connection)}/orders/{Version}/orders?{query}"), null, AmazonOrdersApi.Authorize(connection), what, cancellationToken);
        if (response.Root.Opt("orders") is not { ValueKind: JsonValueKind.Array } orders)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no 'orders' array");
        }

        var (records, rejected) = RecordMapper.Map(orders, what, o => [Order(o)], o => o.OptId("orderId"), o => o.OptDate("lastUpdatedTime"));
        var next = response.Root.Opt("pagination")?.OptStr("nextToken") is { Length: > 0 } n ? n : null;
        // Later pages keep the window the first one was served (Amazon names its upper bound when we set none).
        var window = before ?? response.Root.OptDate("lastUpdatedBefore");
        return new FetchPage(records, rejected, next is null ? null : Encode(after, window, next), null, AmazonOrdersApi.RateLimitOf(response));
    }

    /// <summary>
    /// Named orders (<see cref="FetchRequest.Ids"/>), <see cref="OrdersPerIdPage"/> a page, each by Orders 2026-01-01
    /// <c>getOrder</c> (<c>GET /orders/2026-01-01/orders/{orderId}</c>, <c>includedData=PROCEEDS,FULFILLMENT</c>, answer
    /// <c>{"order": …}</c>, 404 for an order it does not know; 0.5 requests/s, burst 30: contracts/amazon/orders_2026-01-01.json),
    /// whichever API the connection's feed pages with: the order is mapped as searchOrders maps it, the same record as v0's.
    /// </summary>
    public async Task<FetchPage> ByIdsAsync(Connection connection, IReadOnlyList<string> ids, string? pageToken, CancellationToken cancellationToken)
    {
        var (slice, next) = Paging.IdSlices.Take(MarketplaceNames.Amazon, ids, pageToken, OrdersPerIdPage);
        var records = new List<CanonicalRecord>();
        var rejected = new List<RejectedRecord>();
        RateLimitInfo? rate = null;
        foreach (var id in slice)
        {
            var what = $"amazon order {id} (getOrder)";
            try
            {
                using var response = await http.SendJsonAsync(
                    connection, GetOperation, HttpMethod.Get, new Uri($"{AmazonOrdersApi.BaseUrl(connection)}/orders/{Version}/orders/{Uri.EscapeDataString(id)}?includedData=PROCEEDS,FULFILLMENT"),
                    null, AmazonOrdersApi.Authorize(connection), what, cancellationToken);
                if (response.Root.Opt("order") is not { ValueKind: JsonValueKind.Object } order)
                {
                    throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no 'order' object");
                }

                var (mapped, failed) = RecordMapper.Map([order], what, o => [Order(o)], o => o.OptId("orderId"), o => o.OptDate("lastUpdatedTime"));
                records.AddRange(mapped);
                rejected.AddRange(failed);
                rate = AmazonOrdersApi.RateLimitOf(response) ?? rate;
            }
            catch (MarketplaceException ex) when (ex.StatusCode == 404)
            {
                // Not (or no longer) the seller's: nothing to store; the schedule's reads reconcile.
            }
        }

        return new FetchPage(records, rejected, next, null, rate);
    }

    /// <summary>
    /// The order as getOrders and the order report give it (<see cref="AmazonOrderRows"/>), so every source stores the
    /// same record: the status in their words, the grand total, the items keyed as <see cref="AmazonOrderLines"/> keys them.
    /// </summary>
    internal static OrderRecord Order(JsonElement o)
    {
        var status = Status(o.Opt("fulfillment")?.OptStr("fulfillmentStatus"));
        // Like v0's OrderTotal, proceeds may be absent while an order is pending; anywhere else that is a broken record.
        var total = o.Opt("proceeds")?.Opt("grandTotal") ?? (status == "Pending" ? (JsonElement?)null : throw new RecordFieldException("proceeds.grandTotal", "missing"));
        var items = o.Opt("orderItems") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : throw new RecordFieldException("orderItems", "missing");
        return new OrderRecord
        {
            ExternalId = o.Str("orderId"),
            UpdatedAt = o.Date("lastUpdatedTime"),
            OrderNumber = o.Str("orderId"),
            Status = status,
            Currency = total?.Str("currencyCode") ?? "",
            Total = total?.Decimal("amount") ?? 0,
            CreatedAt = o.OptDate("createdTime"),
            Lines = AmazonOrderLines.From(items.Select(Item)),
        };
    }

    private static AmazonOrderLines.Item Item(JsonElement item)
    {
        var product = item.Opt("product");
        var quantity = item.OptInt("quantityOrdered") ?? throw new RecordFieldException("quantityOrdered", "missing or unreadable");
        var unit = product?.Opt("price")?.Opt("unitPrice")?.OptDecimal("amount") ?? 0;
        return new AmazonOrderLines.Item(product?.OptStr("sellerSku"), product?.OptStr("asin"), quantity, unit * quantity);
    }

    /// <summary>2026-01-01's <c>FulfillmentStatus</c> in v0's and the report's words (<c>OrderStatus</c>).</summary>
    private static string Status(string? fulfillment) => fulfillment switch
    {
        "PENDING_AVAILABILITY" => "PendingAvailability",
        "PENDING" => "Pending",
        "UNSHIPPED" => "Unshipped",
        "PARTIALLY_SHIPPED" => "PartiallyShipped",
        "SHIPPED" => "Shipped",
        "CANCELLED" => "Canceled",
        "UNFULFILLABLE" => "Unfulfillable",
        null => throw new RecordFieldException("fulfillment.fulfillmentStatus", "missing"),
        _ => fulfillment,
    };

    private static string Encode(DateTimeOffset after, DateTimeOffset? before, string pagination) =>
        string.Join('|', TokenPrefix, after.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), before?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "", pagination);

    private static bool TryDecode(string token, out DateTimeOffset after, out DateTimeOffset? before, out string? pagination)
    {
        after = default;
        before = null;
        pagination = null;
        var parts = token.Split('|', 4);
        if (parts.Length != 4 || parts[0] != TokenPrefix || parts[3].Length == 0
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a))
        {
            return false;
        }

        if (parts[2].Length > 0)
        {
            if (!long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            before = DateTimeOffset.FromUnixTimeMilliseconds(b);
        }

        after = DateTimeOffset.FromUnixTimeMilliseconds(a);
        pagination = parts[3];
        return true;
    }
}

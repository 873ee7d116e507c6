using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// Amazon SP-API Orders v0 (getOrders): orders only. <c>LastUpdatedBefore</c> is left to Amazon's default (two minutes
/// ago), so an order changing right now is read by the next run rather than missed.
/// </summary>
public sealed class AmazonAdapter(MarketplaceHttp http) : IMarketplaceAdapter
{
    public const int MaxPageSize = 100;
    private const string DefaultMarketplaceId = "ATVPDKIKX0DER";

    public string Marketplace => MarketplaceNames.Amazon;

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType> { EntityType.Orders };

    public async Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        if (request.EntityType != EntityType.Orders)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadRequest, $"amazon: {request.EntityType.ToWire()} are not read through the Orders API");
        }

        var marketplaceIds = Uri.EscapeDataString(connection.Setting("marketplaceId") ?? DefaultMarketplaceId);
        var query = request.PageToken is { } token
            ? $"MarketplaceIds={marketplaceIds}&NextToken={Uri.EscapeDataString(token)}"
            : $"MarketplaceIds={marketplaceIds}&MaxResultsPerPage={Math.Clamp(request.PageSize, 1, MaxPageSize)}"
              + $"&LastUpdatedAfter={Uri.EscapeDataString(AdapterSupport.Iso(request.Since ?? DateTimeOffset.UnixEpoch))}";
        var baseUrl = AdapterSupport.BaseUrl(connection, "https://sellingpartnerapi-na.amazon.com");
        var accessToken = AdapterSupport.Credential(connection, "accessToken");
        const string what = "amazon orders page";
        using var response = await http.GetJsonAsync(
            connection,
            new Uri($"{baseUrl}/orders/v0/orders?{query}"),
            r => r.Headers.Add("x-amz-access-token", accessToken),
            what,
            cancellationToken);

        if (response.Root.Opt("payload") is not { } payload || payload.Opt("Orders") is not { } orders)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no 'payload.Orders' array");
        }

        var (records, rejected) = RecordMapper.Map(orders, what, o => [MapOrder(o)], o => o.OptId("AmazonOrderId"), o => o.OptDate("LastUpdateDate"));
        var next = payload.OptStr("NextToken") is { Length: > 0 } n ? n : null;
        var rate = double.TryParse(response.Header("x-amzn-RateLimit-Limit"), NumberStyles.Float, CultureInfo.InvariantCulture, out var r) ? r : (double?)null;
        return new FetchPage(records, rejected, next, null, rate is null ? null : new RateLimitInfo(null, null, rate, null));
    }

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
            Email = o.Opt("BuyerInfo")?.OptStr("BuyerEmail"),
            CreatedAt = o.OptDate("PurchaseDate"),
        };
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.Marketplaces.Etsy;

/// <summary>
/// Etsy Open API v3 (<c>/v3/application</c>): receipts are orders, listings (of every state) are products and prices.
/// Etsy exposes no customer feed.
/// </summary>
public sealed class EtsyAdapter(MarketplaceHttp http) : IMarketplaceAdapter
{
    public const int MaxPageSize = 100;

    public string Marketplace => MarketplaceNames.Etsy;

    /// <summary>
    /// The app's key (<c>x-api-key</c>) and an OAuth access token, or a refresh token to obtain one
    /// (<c>etsy/oauth2-authentication.md</c>); pages of at most 100, the <c>limit</c> maximum of every list endpoint
    /// read (<c>etsy/etsy-openapi-v3.json</c>).
    /// </summary>
    public ConnectionRequirements Requirements { get; } = new()
    {
        Credentials = ["apiKey", "accessToken"],
        RefreshesTokens = true,
        PageSize = CommonSettings.PageSize(MaxPageSize),
    };

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType> { EntityType.Orders, EntityType.Products, EntityType.Prices };

    /// <summary>
    /// Listings of every state a shop's listings can be in are walked in a full sync (<see cref="ListingStates"/>): one
    /// not listed in any was deleted (or removed by Etsy). Receipts are not reconciled: Etsy documents no deletion of
    /// a receipt, and a listing that is missing for a reason the contract does not state should not take orders with it.
    /// </summary>
    public IReadOnlySet<EntityType> FullReadListsAll { get; } = new HashSet<EntityType> { EntityType.Products, EntityType.Prices };

    /// <summary>
    /// Every state <c>getListingsByShop</c> takes (contracts/etsy/etsy-openapi-v3.json: <c>state</c> enum, default
    /// <c>active</c>); a listing of any of them is the shop's product.
    /// </summary>
    public static readonly IReadOnlyList<string> ListingStates = ["active", "inactive", "sold_out", "draft", "expired"];

    public Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        if (!SupportedEntityTypes.Contains(request.EntityType))
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadRequest, $"etsy: {request.EntityType.ToWire()} are not available from Etsy");
        }

        return request.EntityType == EntityType.Orders
            ? FetchReceiptsAsync(connection, request, cancellationToken)
            : FetchListingsAsync(connection, request, cancellationToken);
    }

    /// <summary>
    /// <c>getShopReceipts</c> declares <c>min_last_modified</c>, <c>sort_on=updated</c> and <c>sort_order</c>
    /// (contracts/etsy/etsy-openapi-v3.json): read in update order, keyset-like (<see cref="OffsetWindowToken"/>).
    /// </summary>
    private async Task<FetchPage> FetchReceiptsAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(request.PageSize, 1, MaxPageSize);
        OffsetWindowToken token;
        try
        {
            token = OffsetWindowToken.Decode(request.PageToken) ?? new OffsetWindowToken(request.Since?.ToUnixTimeSeconds(), 0);
        }
        catch (FormatException)
        {
            throw AdapterSupport.BadToken(Marketplace, request.PageToken!);
        }

        var query = new StringBuilder($"limit={limit}&offset={token.Offset(limit)}&sort_on=updated&sort_order=asc");
        if (token.Window is { } window)
        {
            query.Append("&min_last_modified=").Append(window.ToString(CultureInfo.InvariantCulture));
        }

        const string what = "etsy orders page";
        using var response = await GetAsync(connection, "receipts", query.ToString(), what, cancellationToken);
        var results = Results(response, what);
        long? Second(JsonElement item) => item.Opt("updated_timestamp") is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var s) ? s : null;
        string? Id(JsonElement item) => RecordMapper.Safe(() => item.OptId("receipt_id"));
        var (records, rejected) = RecordMapper.Map(
            results,
            what,
            item => [MapReceipt(item)],
            item => item.OptId("receipt_id"),
            item => item.Opt("updated_timestamp") is not null ? item.UnixDate("updated_timestamp") : null,
            item => !token.AlreadyRead(Second(item), Id(item), exclusive: false));

        var next = token.Next([.. results.EnumerateArray().Select(item => (Second(item), Id(item)))], limit, exclusive: false);
        var count = Count(response);
        var expected = ListShortfall.Expected(count, token.Offset(limit), results.GetArrayLength(), next is null, records.Count + rejected.Count);
        return new FetchPage(records, rejected, next?.Encode(), request.PageToken is null ? count : null, RateLimit(response), expected);
    }

    /// <summary>
    /// <c>getListingsByShop</c> declares only <c>state</c>, <c>limit</c>, <c>offset</c>, <c>sort_on</c>,
    /// <c>sort_order</c> and <c>includes</c>, and its sort "only works when combined with one of the search options"
    /// (contracts/etsy/etsy-openapi-v3.json): no date filter and no order to rely on. So every run walks each state's
    /// whole list by offset (<see cref="OffsetWalkToken"/>, one part per state) and passes on every listing;
    /// ingestion skips what did not change. The walk is bounded by the shop's listings and always ends.
    /// </summary>
    private async Task<FetchPage> FetchListingsAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(request.PageSize, 1, MaxPageSize);
        OffsetWalkToken token;
        try
        {
            token = OffsetWalkToken.Decode(request.PageToken) ?? new OffsetWalkToken(0, 0);
        }
        catch (FormatException)
        {
            throw AdapterSupport.BadToken(Marketplace, request.PageToken!);
        }

        if (token.Part >= ListingStates.Count)
        {
            throw AdapterSupport.BadToken(Marketplace, request.PageToken!);
        }

        var state = ListingStates[token.Part];
        var what = $"etsy {request.EntityType.ToWire()} page ({state} listings)";
        using var response = await GetAsync(connection, "listings", $"state={state}&limit={limit}&offset={token.Offset(limit)}", what, cancellationToken);
        var results = Results(response, what);
        // Every listing read is passed on, changed or not: the list has no order to rely on, so one that moved (a new
        // listing, a change of state) past the walk's position is read on the next walk whatever its time says.
        var (records, rejected) = RecordMapper.Map(
            results,
            what,
            item => request.EntityType == EntityType.Products ? [MapListing(item)] : [MapPrice(item)],
            item => item.OptId("listing_id"),
            item => item.Opt("last_modified_timestamp") is not null ? item.UnixDate("last_modified_timestamp") : null);

        var count = Count(response);
        var inState = token.Next(results.GetArrayLength(), limit, null, count);
        var expected = ListShortfall.Expected(count, token.Offset(limit), results.GetArrayLength(), inState is null, records.Count + rejected.Count);
        var next = inState ?? (token.Part + 1 < ListingStates.Count ? new OffsetWalkToken(token.Part + 1, 0) : null);
        return new FetchPage(records, rejected, next?.Encode(), null, RateLimit(response), expected);
    }

    private async Task<MarketplaceResponse> GetAsync(Connection connection, string resource, string query, string what, CancellationToken cancellationToken)
    {
        var baseUrl = AdapterSupport.BaseUrl(connection, "https://openapi.etsy.com");
        var apiKey = AdapterSupport.Credential(connection, "apiKey");
        var accessToken = AdapterSupport.Credential(connection, "accessToken");
        return await http.GetJsonAsync(
            connection,
            new Uri($"{baseUrl}/v3/application/shops/{Uri.EscapeDataString(connection.ExternalStoreId)}/{resource}?{query}"),
            r =>
            {
                r.Headers.Add("x-api-key", apiKey);
                r.Headers.Authorization = new("Bearer", accessToken);
            },
            what,
            cancellationToken);
    }

    private static JsonElement Results(MarketplaceResponse response, string what) =>
        response.Root.Opt("results") is { ValueKind: JsonValueKind.Array } results
            ? results
            : throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no 'results' array");

    /// <summary>The list's total for the query, which every paginated answer carries (<c>count</c>, contracts/etsy/etsy-openapi-v3.json).</summary>
    private static long? Count(MarketplaceResponse response) =>
        response.Root.Opt("count") is { ValueKind: JsonValueKind.Number } count && count.TryGetInt64(out var c) ? c : null;

    private static RateLimitInfo? RateLimit(MarketplaceResponse response)
    {
        double? Read(string name) => double.TryParse(response.Header(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        var perSecond = Read("x-limit-per-second");
        return perSecond is null ? null : new RateLimitInfo(perSecond, Read("x-remaining-this-second"), perSecond, null);
    }

    private static decimal Money(JsonElement owner, string name)
    {
        var money = owner.Req(name);
        var divisor = money.Long("divisor");
        return divisor <= 0 ? throw new RecordFieldException($"{name}.divisor", "non-positive") : money.Long("amount") / (decimal)divisor;
    }

    private static OrderRecord MapReceipt(JsonElement r) => new()
    {
        ExternalId = r.Id("receipt_id"),
        UpdatedAt = r.UnixDate("updated_timestamp"),
        OrderNumber = r.OptId("receipt_id"),
        Status = r.OptStr("status") ?? "unknown",
        Currency = r.Req("grandtotal").Str("currency_code"),
        Total = Money(r, "grandtotal"),
        CustomerExternalId = r.OptId("buyer_user_id"),
        Email = r.OptStr("buyer_email"),
        CreatedAt = r.Opt("created_timestamp") is not null ? r.UnixDate("created_timestamp") : null,
        Lines = r.Opt("transactions") is { ValueKind: JsonValueKind.Array } lines
            ? [.. lines.EnumerateArray().Select(l => new OrderLine(l.Id("transaction_id"), l.OptId("listing_id"), l.OptStr("sku"), l.OptInt("quantity") ?? 0, Money(l, "price")))]
            : [],
    };

    private static IReadOnlyList<string> Skus(JsonElement l) =>
        l.Opt("skus") is { ValueKind: JsonValueKind.Array } skus ? [.. skus.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!)] : [];

    private static ProductRecord MapListing(JsonElement l)
    {
        var skus = Skus(l);
        return new ProductRecord
        {
            ExternalId = l.Id("listing_id"),
            UpdatedAt = l.UnixDate("last_modified_timestamp"),
            Title = l.Str("title"),
            Status = l.OptStr("state"),
            Skus = skus,
            Inventory = l.OptInt("quantity") is { } quantity ? [new InventoryLevel(skus.FirstOrDefault(), "default", quantity)] : [],
        };
    }

    private static PriceRecord MapPrice(JsonElement l) => new()
    {
        ExternalId = l.Id("listing_id"),
        UpdatedAt = l.UnixDate("last_modified_timestamp"),
        ProductExternalId = l.Id("listing_id"),
        Sku = Skus(l).FirstOrDefault(),
        Currency = l.Req("price").Str("currency_code"),
        Amount = Money(l, "price"),
    };
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.Marketplaces.WooCommerce;

/// <summary>
/// WooCommerce REST v3 (<c>/wp-json/wc/v3</c>), every list request within what core registers for its endpoint
/// (contracts/woocommerce/core-rest-parameters.md: WordPress refuses an enum value outside the registered ones with 400
/// <c>rest_invalid_param</c> and ignores parameters it does not register):
/// <list type="bullet">
/// <item>orders and products in modification order (<c>orderby=modified</c>, <c>modified_after</c>, <c>dates_are_gmt</c>
/// are registered for both), keyset-like on top of <c>offset</c> (<see cref="OffsetWindowToken"/>); a variable
/// product's price, SKU and stock are read from <c>/products/{id}/variations</c> (<see cref="WooCommerceVariations"/>);</item>
/// <item>customers, which register no date filter and no <c>modified</c> order, by a walk of the whole list in id order
/// (<c>orderby=id</c>, <see cref="OffsetWalkToken"/>): an incremental run passes on only those modified since its
/// cursor, and ingestion skips what did not change.</item>
/// </list>
/// </summary>
public sealed class WooCommerceAdapter(MarketplaceHttp http) : IMarketplaceAdapter, IRecordLookup
{
    public const int MaxPageSize = 100;

    /// <summary>The REST namespace the adapter speaks (the only current one; v1 and v2 are legacy).</summary>
    public const string ApiVersion = "wc/v3";

    public string Marketplace => MarketplaceNames.WooCommerce;

    /// <summary>
    /// A REST API key's consumer key and secret (<c>woocommerce/_authentication.md</c>); pages of at most 100, core's
    /// <c>per_page</c> maximum (<c>woocommerce/core-rest-parameters.md</c>); <c>currency</c> for prices, which core's
    /// products do not state.
    /// </summary>
    public ConnectionRequirements Requirements { get; } = new()
    {
        Credentials = ["consumerKey", "consumerSecret"],
        PageSize = CommonSettings.PageSize(MaxPageSize),
        Settings = [CommonSettings.Currency],
    };

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType>(EntityTypes.All);

    /// <summary>
    /// Every list reads all of its records in a full sync: orders and products of every status but <c>trash</c> (core's
    /// default <c>status=any</c>, contracts/woocommerce/core-rest-parameters.md), so a trashed or deleted one is listed
    /// no more; customers whole; prices from the products. A stored record a full read did not list was deleted.
    /// </summary>
    public IReadOnlySet<EntityType> FullReadListsAll => SupportedEntityTypes;

    /// <summary>Every feed: a notified record is read with <c>include</c>, registered for all three lists (contracts/woocommerce/core-rest-parameters.md).</summary>
    public IReadOnlySet<EntityType> FetchesByIds => SupportedEntityTypes;

    public Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken) =>
        request.Ids is { } ids ? FetchByIdsAsync(connection, request, ids, cancellationToken)
        : request.EntityType == EntityType.Customers ? FetchCustomersAsync(connection, request, cancellationToken)
        : FetchByModifiedAsync(connection, request, cancellationToken);

    /// <summary>
    /// Named records, up to 100 a request (<c>per_page</c>'s maximum): <c>{resource}?include=1,2,…</c> in id order, a
    /// variable product with its variations. A record no longer listed (deleted, trashed) is simply not in the answer.
    /// </summary>
    private async Task<FetchPage> FetchByIdsAsync(Connection connection, FetchRequest request, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var (slice, next) = IdSlices.Take(Marketplace, ids, request.PageToken, MaxPageSize);
        var resource = request.EntityType switch { EntityType.Orders => "orders", EntityType.Customers => "customers", _ => "products" };
        var include = string.Join(',', slice.Where(id => id.Length > 0 && id.All(char.IsAsciiDigit)));
        var what = $"woocommerce {request.EntityType.ToWire()} by id";
        if (include.Length == 0)
        {
            return new FetchPage([], [], next);
        }

        using var response = await GetAsync(connection, $"{resource}?include={include}&per_page={MaxPageSize}&orderby=id&order=asc", what, cancellationToken);
        if (response.Root.ValueKind != JsonValueKind.Array)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: expected a JSON array of records, got {response.Root.ValueKind}");
        }

        var (records, rejected) = await MapAsync(connection, request.EntityType, [.. response.Root.EnumerateArray()], what, cancellationToken);
        return new FetchPage(records, rejected, next);
    }

    private async Task<FetchPage> FetchByModifiedAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        var resource = request.EntityType == EntityType.Orders ? "orders" : "products";
        var perPage = Math.Clamp(request.PageSize, 1, MaxPageSize);
        OffsetWindowToken token;
        try
        {
            // modified_after is exclusive and second-precise: start one second early to include records at `since`.
            token = OffsetWindowToken.Decode(request.PageToken)
                ?? new OffsetWindowToken(request.Since is { } since ? since.ToUnixTimeSeconds() - 1 : null, 0);
        }
        catch (FormatException)
        {
            throw AdapterSupport.BadToken(Marketplace, request.PageToken!);
        }

        var query = new StringBuilder($"per_page={perPage}&orderby=modified&order=asc&dates_are_gmt=true&offset={token.Offset(perPage)}");
        if (token.Window is { } window)
        {
            query.Append("&modified_after=").Append(Uri.EscapeDataString(AdapterSupport.Iso(DateTimeOffset.FromUnixTimeSeconds(window))));
        }

        if (request.Until is { } until)
        {
            // modified_before is exclusive and second-precise too (WordPress's date query 'before', no 'inclusive':
            // core's prepare_objects_query, contracts/woocommerce/core-rest-parameters.md): the next second keeps `until`.
            query.Append("&modified_before=").Append(Uri.EscapeDataString(AdapterSupport.Iso(DateTimeOffset.FromUnixTimeSeconds(until.ToUnixTimeSeconds() + 1))));
        }

        var what = $"woocommerce {request.EntityType.ToWire()} page";
        using var response = await GetAsync(connection, $"{resource}?{query}", what, cancellationToken);
        var items = response.Root;
        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: expected a JSON array of records, got {items.ValueKind}");
        }

        var fresh = items.EnumerateArray().Where(item => !token.AlreadyRead(Second(item), Id(item), exclusive: true)).ToList();
        var (records, rejected) = await MapAsync(connection, request.EntityType, fresh, what, cancellationToken);
        var next = token.Next([.. items.EnumerateArray().Select(item => (Second(item), Id(item)))], perPage, exclusive: true);
        var total = Total(response);
        var expected = ListShortfall.Expected(total, token.Offset(perPage), items.GetArrayLength(), next is null, records.Count + rejected.Count);
        return new FetchPage(records, rejected, next?.Encode(), request.PageToken is null ? total : null, Expected: expected);
    }

    /// <summary>Orders, products (a variable one with its variations) or their prices, as mapped records and those that would not map.</summary>
    private async Task<(List<CanonicalRecord> Records, List<RejectedRecord> Rejected)> MapAsync(
        Connection connection, EntityType type, IReadOnlyList<JsonElement> items, string what, CancellationToken cancellationToken)
    {
        if (type == EntityType.Customers)
        {
            return RecordMapper.Map(items, what, item => [WooCommerceMapper.Customer(item)], item => item.OptId("id"), item => item.OptDate("date_modified_gmt", assumeUtc: true));
        }

        var variations = type == EntityType.Orders
            ? new Dictionary<string, IReadOnlyList<JsonElement>>()
            : await new WooCommerceVariations(this).ReadAsync(connection, items, what, cancellationToken);
        var currency = CommonSettings.Currency.Of(connection)!;
        IReadOnlyList<JsonElement> Variations(JsonElement product) => Id(product) is { } id && variations.TryGetValue(id, out var v) ? v : [];
        return RecordMapper.Map<JsonElement>(
            items,
            what,
            item => type switch
            {
                EntityType.Orders => [WooCommerceMapper.Order(item)],
                EntityType.Products => [WooCommerceMapper.Product(item, Variations(item))],
                _ => WooCommerceMapper.Prices(item, Variations(item), currency),
            },
            item => item.OptId("id"),
            item => item.OptDate("date_modified_gmt", assumeUtc: true));
    }

    private async Task<FetchPage> FetchCustomersAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        var perPage = Math.Clamp(request.PageSize, 1, MaxPageSize);
        OffsetWalkToken token;
        try
        {
            token = OffsetWalkToken.Decode(request.PageToken) ?? new OffsetWalkToken(0, 0);
        }
        catch (FormatException)
        {
            throw AdapterSupport.BadToken(Marketplace, request.PageToken!);
        }

        // Registered for customers: orderby id|include|name|registered_date, order, offset, per_page (no date filter).
        var what = "woocommerce customers page";
        using var response = await GetAsync(connection, $"customers?per_page={perPage}&orderby=id&order=asc&offset={token.Offset(perPage)}", what, cancellationToken);
        var items = response.Root;
        // An incremental run passes on what changed since its cursor (the walk itself cannot be filtered by date).
        var since = request.Since?.AddSeconds(-1);
        var (records, rejected) = RecordMapper.Map(
            items,
            what,
            item => [WooCommerceMapper.Customer(item)],
            item => item.OptId("id"),
            item => item.OptDate("date_modified_gmt", assumeUtc: true),
            item => !token.AlreadyRead(Id(item)) && (since is null || RecordMapper.Safe(() => item.OptDate("date_modified_gmt", assumeUtc: true)) is not { } modified || modified >= since));

        var total = Total(response);
        var lastId = items.GetArrayLength() > 0 ? Id(items[items.GetArrayLength() - 1]) : null;
        var next = token.Next(items.GetArrayLength(), perPage, lastId, total);
        var expected = ListShortfall.Expected(total, token.Offset(perPage), items.GetArrayLength(), next is null, records.Count + rejected.Count);
        // The total is the whole list's: a progress figure for a full walk only.
        return new FetchPage(records, rejected, next?.Encode(), request.PageToken is null && request.Since is null ? total : null, Expected: expected);
    }

    /// <summary>
    /// <c>GET /{orders|products|customers}/{id}</c>: a record deleted for good answers 404 (<c>woocommerce_rest_*_invalid_id</c>),
    /// one in the trash answers with <c>status: "trash"</c> (contracts/woocommerce/_orders.md, _products.md).
    /// </summary>
    public async Task<bool> ExistsAsync(Connection connection, EntityType entityType, string externalId, CancellationToken cancellationToken)
    {
        var resource = entityType switch { EntityType.Orders => "orders", EntityType.Customers => "customers", _ => "products" };
        try
        {
            using var response = await GetAsync(connection, $"{resource}/{Uri.EscapeDataString(externalId)}", $"woocommerce {resource} {externalId}", cancellationToken);
            return response.Root.OptStr("status") != "trash";
        }
        catch (MarketplaceException ex) when (ex.StatusCode == 404)
        {
            return false;
        }
    }

    internal Task<MarketplaceResponse> GetAsync(Connection connection, string pathAndQuery, string what, CancellationToken cancellationToken)
    {
        var baseUrl = AdapterSupport.BaseUrl(connection, null);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{AdapterSupport.Credential(connection, "consumerKey")}:{AdapterSupport.Credential(connection, "consumerSecret")}"));
        return http.GetJsonAsync(
            connection,
            new Uri($"{baseUrl}/wp-json/{ApiVersion}/{pathAndQuery}"),
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic),
            what,
            cancellationToken);
    }

    /// <summary>The list's total for the query, which core sends with every collection answer (<c>woocommerce/_introduction.md</c>, pagination).</summary>
    private static long? Total(MarketplaceResponse response) =>
        long.TryParse(response.Header("X-WP-Total"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;

    private static long? Second(JsonElement item) => RecordMapper.Safe(() => item.OptDate("date_modified_gmt", assumeUtc: true)?.ToUnixTimeSeconds());

    internal static string? Id(JsonElement item) => RecordMapper.Safe(() => item.OptId("id"));
}

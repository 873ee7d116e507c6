using System.Globalization;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.Marketplaces.Etsy;

/// <summary>
/// Etsy Open API v3: receipts are orders, listings are products and prices. Etsy exposes no customer feed.
/// Paged by <c>min_last_modified</c> + <c>offset</c>, sorted by update time (see <see cref="OffsetWindowToken"/>).
/// </summary>
public sealed class EtsyAdapter(MarketplaceHttp http) : IMarketplaceAdapter
{
    public const int MaxPageSize = 100;

    public string Marketplace => MarketplaceNames.Etsy;

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType> { EntityType.Orders, EntityType.Products, EntityType.Prices };

    public async Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        if (!SupportedEntityTypes.Contains(request.EntityType))
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadRequest, $"etsy: {request.EntityType.ToWire()} are not available from Etsy");
        }

        var resource = request.EntityType == EntityType.Orders ? "receipts" : "listings";
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

        var baseUrl = AdapterSupport.BaseUrl(connection, "https://openapi.etsy.com");
        var apiKey = AdapterSupport.Credential(connection, "apiKey");
        var accessToken = AdapterSupport.Credential(connection, "accessToken");
        var what = $"etsy {request.EntityType.ToWire()} page";
        using var response = await http.GetJsonAsync(
            connection,
            new Uri($"{baseUrl}/v3/application/shops/{Uri.EscapeDataString(connection.ExternalStoreId)}/{resource}?{query}"),
            r =>
            {
                r.Headers.Add("x-api-key", apiKey);
                r.Headers.Authorization = new("Bearer", accessToken);
            },
            what,
            cancellationToken);

        if (response.Root.Opt("results") is not { } results)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no 'results' array");
        }

        var updatedField = request.EntityType == EntityType.Orders ? "updated_timestamp" : "last_modified_timestamp";
        var idField = request.EntityType == EntityType.Orders ? "receipt_id" : "listing_id";
        long? Second(JsonElement item) => item.Opt(updatedField) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var s) ? s : null;
        string? Id(JsonElement item) => RecordMapper.Safe(() => item.OptId(idField));
        var (records, rejected) = RecordMapper.Map(
            results,
            what,
            item => request.EntityType switch
            {
                EntityType.Orders => [MapReceipt(item)],
                EntityType.Products => [MapListing(item)],
                _ => [MapPrice(item)],
            },
            item => item.OptId(idField),
            item => item.Opt(updatedField) is not null ? item.UnixDate(updatedField) : null,
            item => !token.AlreadyRead(Second(item), Id(item), exclusive: false));

        var next = token.Next([.. results.EnumerateArray().Select(item => (Second(item), Id(item)))], limit, exclusive: false);
        long? total = request.PageToken is null && response.Root.Opt("count") is { ValueKind: JsonValueKind.Number } count ? count.GetInt64() : null;
        return new FetchPage(records, rejected, next?.Encode(), total, RateLimit(response));
    }

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

using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.Marketplaces.WooCommerce;

/// <summary>
/// WooCommerce REST v3, read in modification order. Paging is keyset-like on top of <c>modified_after</c> + <c>offset</c>
/// (see <see cref="OffsetWindowToken"/>). Products are simple products: one price and one stock level each.
/// </summary>
public sealed class WooCommerceAdapter(MarketplaceHttp http) : IMarketplaceAdapter
{
    public const int MaxPageSize = 100;

    public string Marketplace => MarketplaceNames.WooCommerce;

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType>(EntityTypes.All);

    public async Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        var resource = request.EntityType switch
        {
            EntityType.Orders => "orders",
            EntityType.Customers => "customers",
            _ => "products",
        };
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

        var baseUrl = AdapterSupport.BaseUrl(connection, null);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{AdapterSupport.Credential(connection, "consumerKey")}:{AdapterSupport.Credential(connection, "consumerSecret")}"));
        var what = $"woocommerce {request.EntityType.ToWire()} page";
        using var response = await http.GetJsonAsync(
            connection,
            new Uri($"{baseUrl}/wp-json/wc/v3/{resource}?{query}"),
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic),
            what,
            cancellationToken);

        var items = response.Root;
        var (records, rejected) = RecordMapper.Map(
            items,
            what,
            item => request.EntityType switch
            {
                EntityType.Orders => [MapOrder(item)],
                EntityType.Customers => [MapCustomer(item)],
                EntityType.Products => [MapProduct(item)],
                _ => [MapPrice(item, connection.Setting("currency") ?? "USD")],
            },
            item => item.OptId("id"),
            item => item.OptDate("date_modified_gmt", assumeUtc: true),
            item => !token.AlreadyRead(Second(item), Id(item), exclusive: true));

        var next = token.Next([.. items.EnumerateArray().Select(item => (Second(item), Id(item)))], perPage, exclusive: true);
        long? total = long.TryParse(response.Header("X-WP-Total"), CultureInfo.InvariantCulture, out var t) ? t : null;
        return new FetchPage(records, rejected, next?.Encode(), request.PageToken is null ? total : null);
    }

    private static long? Second(JsonElement item) => RecordMapper.Safe(() => item.OptDate("date_modified_gmt", assumeUtc: true)?.ToUnixTimeSeconds());

    private static string? Id(JsonElement item) => RecordMapper.Safe(() => item.OptId("id"));

    private static OrderRecord MapOrder(JsonElement o) => new()
    {
        ExternalId = o.Id("id"),
        UpdatedAt = o.Date("date_modified_gmt", assumeUtc: true),
        OrderNumber = o.OptId("number"),
        Status = o.Str("status"),
        Currency = o.Str("currency"),
        Total = o.Decimal("total"),
        CustomerExternalId = o.OptId("customer_id") is { } c && c != "0" ? c : null,
        Email = o.Opt("billing")?.OptStr("email") is { Length: > 0 } email ? email : null,
        CreatedAt = o.OptDate("date_created_gmt", assumeUtc: true),
        Lines = o.Opt("line_items") is { ValueKind: JsonValueKind.Array } lines
            ? [.. lines.EnumerateArray().Select(l => new OrderLine(l.Id("id"), l.OptId("product_id"), l.OptStr("sku"), l.OptInt("quantity") ?? 0, l.OptDecimal("price") ?? 0))]
            : [],
    };

    private static CustomerRecord MapCustomer(JsonElement c) => new()
    {
        ExternalId = c.Id("id"),
        UpdatedAt = c.Date("date_modified_gmt", assumeUtc: true),
        Email = c.OptStr("email"),
        FirstName = c.OptStr("first_name"),
        LastName = c.OptStr("last_name"),
    };

    private static ProductRecord MapProduct(JsonElement p)
    {
        var sku = p.OptStr("sku") is { Length: > 0 } s ? s : null;
        return new ProductRecord
        {
            ExternalId = p.Id("id"),
            UpdatedAt = p.Date("date_modified_gmt", assumeUtc: true),
            Title = p.Str("name"),
            Status = p.OptStr("status"),
            Skus = sku is null ? [] : [sku],
            Inventory = p.OptInt("stock_quantity") is { } stock ? [new InventoryLevel(sku, "default", stock)] : [],
        };
    }

    private static PriceRecord MapPrice(JsonElement p, string currency)
    {
        var onSale = p.OptDecimal("sale_price") is not null;
        return new PriceRecord
        {
            ExternalId = p.Id("id"),
            UpdatedAt = p.Date("date_modified_gmt", assumeUtc: true),
            ProductExternalId = p.Id("id"),
            Sku = p.OptStr("sku"),
            Currency = currency,
            Amount = p.Decimal("price"),
            CompareAtAmount = onSale ? p.OptDecimal("regular_price") : null,
        };
    }
}

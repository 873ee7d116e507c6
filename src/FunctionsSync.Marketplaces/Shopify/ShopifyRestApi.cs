using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Shopify Admin REST (legacy since 2024-10; a connection's <c>settings.api: "rest"</c>). Feeds are read in updated_at
/// order with cursor paging (the <c>page_info</c> of the Link header), which is stable while the shop changes. Prices
/// are read from products' variants.
/// </summary>
public sealed partial class ShopifyRestApi(MarketplaceHttp http, IOptions<ShopifyOptions> options)
{
    public const int MaxPageSize = 250;

    public static string BaseUrl(Connection connection) => AdapterSupport.BaseUrl(connection, $"https://{connection.ExternalStoreId}.myshopify.com");

    public static Action<HttpRequestMessage> Authorize(Connection connection)
    {
        var accessToken = AdapterSupport.Credential(connection, "accessToken");
        return r => r.Headers.Add("X-Shopify-Access-Token", accessToken);
    }

    public async Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        var resource = request.EntityType switch
        {
            EntityType.Orders => "orders",
            EntityType.Customers => "customers",
            _ => "products",
        };
        var limit = Math.Clamp(request.PageSize, 1, MaxPageSize);
        var baseUrl = BaseUrl(connection);
        // The same version as GraphQL calls: REST is versioned alike and only the last four versions are served.
        var settings = ShopifySettings.Of(connection);
        var version = settings.ApiVersion ?? options.Value.ApiVersion;
        var query = request.PageToken is { } token
            ? $"limit={limit}&page_info={Uri.EscapeDataString(token)}"
            : $"limit={limit}&order=updated_at+asc{(resource == "orders" ? "&status=any" : "")}"
              + (request.Since is { } since ? $"&updated_at_min={Uri.EscapeDataString(AdapterSupport.Iso(since))}" : "");
        var what = $"shopify {request.EntityType.ToWire()} page";
        var authorize = Authorize(connection);
        using var response = await http.GetJsonAsync(
            connection,
            new Uri($"{baseUrl}/admin/api/{version}/{resource}.json?{query}"),
            authorize,
            what,
            cancellationToken);

        if (response.Root.Opt(resource) is not { } items)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no '{resource}' array");
        }

        var (records, rejected) = RecordMapper.Map(
            items,
            what,
            item => request.EntityType switch
            {
                EntityType.Orders => [MapOrder(item)],
                EntityType.Customers => [MapCustomer(item)],
                EntityType.Products => [MapProduct(item)],
                _ => MapPrices(item, settings.Currency),
            },
            item => item.OptId("id"),
            item => item.OptDate("updated_at"));

        // Shopify's count endpoint gives the feed's size up front, for progress and ETA (one call per feed).
        long? total = request.PageToken is null && request.EntityType != EntityType.Prices
            ? await CountAsync(connection, baseUrl, version, resource, request.Since, authorize, cancellationToken)
            : null;
        return new FetchPage(records, rejected, NextPageInfo(response.Header("Link")), total, RateLimit(response));
    }

    private async Task<long?> CountAsync(Connection connection, string baseUrl, string version, string resource, DateTimeOffset? since, Action<HttpRequestMessage> authorize, CancellationToken cancellationToken)
    {
        var query = (resource == "orders" ? "status=any" : "") + (since is { } s ? $"&updated_at_min={Uri.EscapeDataString(AdapterSupport.Iso(s))}" : "");
        using var response = await http.GetJsonAsync(
            connection,
            new Uri($"{baseUrl}/admin/api/{version}/{resource}/count.json?{query.TrimStart('&')}"),
            authorize,
            $"shopify {resource} count",
            cancellationToken);
        return response.Root.Opt("count") is { ValueKind: JsonValueKind.Number } count ? count.GetInt64() : null;
    }

    private static string? NextPageInfo(string? link)
    {
        if (link is null)
        {
            return null;
        }

        foreach (var part in link.Split(','))
        {
            if (part.Contains("rel=\"next\"", StringComparison.Ordinal) && PageInfo().Match(part) is { Success: true } match)
            {
                return Uri.UnescapeDataString(match.Groups[1].Value);
            }
        }

        return null;
    }

    private static RateLimitInfo? RateLimit(MarketplaceResponse response)
    {
        var header = response.Header("X-Shopify-Shop-Api-Call-Limit");
        var parts = header?.Split('/');
        if (parts is not { Length: 2 }
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var used)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }

        // Standard plans leak 2 requests per second from a 40-request bucket; Plus shops have a larger bucket.
        return new RateLimitInfo(size, size - used, size >= 400 ? 20 : 2, null);
    }

    private static OrderRecord MapOrder(JsonElement o) => new()
    {
        ExternalId = o.Id("id"),
        UpdatedAt = o.Date("updated_at"),
        OrderNumber = o.OptStr("name"),
        Status = o.OptStr("financial_status") ?? "unknown",
        Currency = o.Str("currency"),
        Total = o.Decimal("total_price"),
        CustomerExternalId = o.Opt("customer")?.OptId("id"),
        Email = o.OptStr("email"),
        CreatedAt = o.OptDate("created_at"),
        Lines = o.Opt("line_items") is { ValueKind: JsonValueKind.Array } lines
            ? [.. lines.EnumerateArray().Select(l => new OrderLine(l.Id("id"), l.OptId("product_id"), l.OptStr("sku"), l.OptInt("quantity") ?? 0, l.OptDecimal("price") ?? 0))]
            : [],
    };

    private static CustomerRecord MapCustomer(JsonElement c) => new()
    {
        ExternalId = c.Id("id"),
        UpdatedAt = c.Date("updated_at"),
        Email = c.OptStr("email"),
        FirstName = c.OptStr("first_name"),
        LastName = c.OptStr("last_name"),
        OrdersCount = c.OptInt("orders_count"),
    };

    private static IEnumerable<JsonElement> Variants(JsonElement p) =>
        p.Opt("variants") is { ValueKind: JsonValueKind.Array } variants ? variants.EnumerateArray() : [];

    private static ProductRecord MapProduct(JsonElement p) => new()
    {
        ExternalId = p.Id("id"),
        UpdatedAt = p.Date("updated_at"),
        Title = p.Str("title"),
        Status = p.OptStr("status"),
        Skus = [.. Variants(p).Select(v => v.OptStr("sku")).OfType<string>()],
        Inventory = [.. Variants(p).Select(v => new InventoryLevel(v.OptStr("sku"), "default", v.OptInt("inventory_quantity") ?? 0))],
    };

    private static IEnumerable<CanonicalRecord> MapPrices(JsonElement p, string currency)
    {
        var productId = p.Id("id");
        var updatedAt = p.Date("updated_at");
        return [.. Variants(p).Select(v => new PriceRecord
        {
            ExternalId = v.Id("id"),
            UpdatedAt = updatedAt,
            ProductExternalId = productId,
            Sku = v.OptStr("sku"),
            // Variant prices are in the shop's currency, which the products endpoint does not repeat: a connection setting.
            Currency = currency,
            Amount = v.Decimal("price"),
            CompareAtAmount = v.OptDecimal("compare_at_price"),
        })];
    }

    [GeneratedRegex("[?&]page_info=([^&>]+)")]
    private static partial Regex PageInfo();
}

using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// GraphQL Admin nodes as the same canonical records the REST adapter makes: ids are the numeric part of the global
/// id (<c>gid://shopify/Order/123</c> → <c>123</c>), enums in lower case as REST words them, money from the shop's
/// <c>MoneyBag</c>. Nested nodes (line items, variants) come from a page's nested connection or a bulk file's child lines.
/// </summary>
internal static class ShopifyGraphQlMapper
{
    public static string NumericId(JsonElement node, string name = "id")
    {
        var gid = node.Id(name);
        var slash = gid.LastIndexOf('/');
        var id = slash >= 0 ? gid[(slash + 1)..] : gid;
        // A query string may follow (gid://shopify/Foo/1?bar=2).
        var query = id.IndexOf('?');
        return query >= 0 ? id[..query] : id;
    }

    public static string? OptNumericId(JsonElement node, string name) => node.Opt(name) is { ValueKind: JsonValueKind.String } ? NumericId(node, name) : null;

    /// <summary>A page's nested connection: its nodes, or a refusal when it holds more than one page.</summary>
    public static IEnumerable<JsonElement> Nested(JsonElement node, string connection)
    {
        if (node.Opt(connection) is not { } nested)
        {
            return [];
        }

        if (nested.Opt("pageInfo")?.Opt("hasNextPage") is { ValueKind: JsonValueKind.True })
        {
            throw new RecordFieldException(connection, $"more than {ShopifyGraphQlQueries.NestedPage}; read whole by the next full sync's bulk query");
        }

        return nested.Opt("nodes") is { ValueKind: JsonValueKind.Array } nodes ? nodes.EnumerateArray() : [];
    }

    public static IEnumerable<CanonicalRecord> Map(EntityType type, JsonElement node, IEnumerable<JsonElement> children, string currency) => type switch
    {
        EntityType.Orders => [Order(node, children)],
        EntityType.Customers => [Customer(node)],
        EntityType.Products => [Product(node, children)],
        _ => Prices(node, children, currency),
    };

    private static decimal? Money(JsonElement? set) => set?.Opt("shopMoney")?.OptDecimal("amount");

    private static OrderRecord Order(JsonElement o, IEnumerable<JsonElement> lines) => new()
    {
        ExternalId = NumericId(o),
        UpdatedAt = o.Date("updatedAt"),
        OrderNumber = o.OptStr("name"),
        Status = o.OptStr("displayFinancialStatus")?.ToLowerInvariant() ?? "unknown",
        Currency = o.Str("currencyCode"),
        Total = Money(o.Opt("totalPriceSet")) ?? throw new RecordFieldException("totalPriceSet", "missing"),
        CustomerExternalId = o.Opt("customer") is { ValueKind: JsonValueKind.Object } c ? NumericId(c) : null,
        Email = o.OptStr("email"),
        CreatedAt = o.OptDate("createdAt"),
        Lines = [.. lines.Select(l => new OrderLine(
            NumericId(l), l.Opt("product") is { ValueKind: JsonValueKind.Object } p ? NumericId(p) : null, l.OptStr("sku"), l.OptInt("quantity") ?? 0, Money(l.Opt("originalUnitPriceSet")) ?? 0))],
    };

    private static CustomerRecord Customer(JsonElement c) => new()
    {
        ExternalId = NumericId(c),
        UpdatedAt = c.Date("updatedAt"),
        Email = c.Opt("defaultEmailAddress")?.OptStr("emailAddress"),
        FirstName = c.OptStr("firstName"),
        LastName = c.OptStr("lastName"),
        // UnsignedInt64: a string on the wire.
        OrdersCount = int.TryParse(c.OptStr("numberOfOrders"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : c.OptInt("numberOfOrders"),
    };

    private static ProductRecord Product(JsonElement p, IEnumerable<JsonElement> variants)
    {
        var all = variants.ToList();
        return new ProductRecord
        {
            ExternalId = NumericId(p),
            UpdatedAt = p.Date("updatedAt"),
            Title = p.Str("title"),
            Status = p.OptStr("status")?.ToLowerInvariant(),
            Skus = [.. all.Select(v => v.OptStr("sku")).OfType<string>()],
            Inventory = [.. all.Select(v => new InventoryLevel(v.OptStr("sku"), "default", v.OptInt("inventoryQuantity") ?? 0))],
        };
    }

    private static IEnumerable<CanonicalRecord> Prices(JsonElement p, IEnumerable<JsonElement> variants, string currency)
    {
        var productId = NumericId(p);
        var updatedAt = p.Date("updatedAt");
        return [.. variants.Select(v => new PriceRecord
        {
            ExternalId = NumericId(v),
            UpdatedAt = updatedAt,
            ProductExternalId = productId,
            Sku = v.OptStr("sku"),
            // Variant prices are in the shop's currency, which the variant does not repeat: a connection setting.
            Currency = currency,
            Amount = v.Decimal("price"),
            CompareAtAmount = v.OptDecimal("compareAtPrice"),
        })];
    }
}

using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.WooCommerce;

/// <summary>
/// WooCommerce REST v3 objects as canonical records (contracts/woocommerce/_orders.md, _products.md,
/// _product-variations.md, _customers.md). A variable product keeps no price, SKU or stock of its own
/// (<c>"price": ""</c>, <c>"stock_quantity": null</c>): they are on its variations, which the adapter reads with it.
/// </summary>
internal static class WooCommerceMapper
{
    public static bool IsVariable(JsonElement product) => product.OptStr("type") == "variable";

    public static OrderRecord Order(JsonElement o) => new()
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

    public static CustomerRecord Customer(JsonElement c) => new()
    {
        ExternalId = c.Id("id"),
        UpdatedAt = c.Date("date_modified_gmt", assumeUtc: true),
        Email = c.OptStr("email"),
        FirstName = c.OptStr("first_name"),
        LastName = c.OptStr("last_name"),
    };

    /// <summary>A product; a variable one with its variations' SKUs and stock (<paramref name="variations"/>, in id order).</summary>
    public static ProductRecord Product(JsonElement p, IReadOnlyList<JsonElement> variations)
    {
        var sellable = IsVariable(p) ? variations : [p];
        return new ProductRecord
        {
            ExternalId = p.Id("id"),
            UpdatedAt = p.Date("date_modified_gmt", assumeUtc: true),
            Title = p.Str("name"),
            Status = p.OptStr("status"),
            Skus = [.. sellable.Select(Sku).OfType<string>()],
            Inventory = [.. sellable.Where(s => s.OptInt("stock_quantity") is not null).Select(s => new InventoryLevel(Sku(s), "default", s.OptInt("stock_quantity")!.Value))],
        };
    }

    /// <summary>A simple product's price, or one per variation of a variable product (each its own record, by variation id).</summary>
    public static IEnumerable<PriceRecord> Prices(JsonElement p, IReadOnlyList<JsonElement> variations, string currency)
    {
        var productId = p.Id("id");
        var updatedAt = p.Date("date_modified_gmt", assumeUtc: true);
        return IsVariable(p)
            // The product's time, as the feed (and its cursor) is walked by products' modification time.
            ? [.. variations.Select(v => Price(v, productId, updatedAt, currency))]
            : [Price(p, productId, updatedAt, currency)];
    }

    private static PriceRecord Price(JsonElement sellable, string productId, DateTimeOffset updatedAt, string currency)
    {
        var onSale = sellable.OptDecimal("sale_price") is not null;
        return new PriceRecord
        {
            ExternalId = sellable.Id("id"),
            UpdatedAt = updatedAt,
            ProductExternalId = productId,
            Sku = Sku(sellable),
            Currency = currency,
            Amount = sellable.Decimal("price"),
            CompareAtAmount = onSale ? sellable.OptDecimal("regular_price") : null,
        };
    }

    private static string? Sku(JsonElement sellable) => sellable.OptStr("sku") is { Length: > 0 } s ? s : null;
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace FunctionsSync.Simulator.Data;

/// <summary>
/// An Odoo database over a store's records, as <c>search_read</c> returns them (contracts/odoo): <c>res.partner</c> from
/// its customers (a few archived), <c>product.product</c> from its products (drafts archived) with stock,
/// <c>product.pricelist.item</c> for some variants (fixed prices, and percentage rules a price sync must leave out),
/// <c>sale.order</c> and <c>sale.order.line</c> from its orders. A many2one is <c>[id, display name]</c> or <c>false</c>, a
/// datetime a <c>YYYY-MM-DD HH:MM:SS</c> string in UTC, an empty char field <c>false</c>.
/// </summary>
public static class SimOdoo
{
    public static readonly string[] Models = ["res.partner", "product.product", "product.pricelist.item", "sale.order", "sale.order.line"];

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Every record of <paramref name="model"/>, in id order.</summary>
    public static IEnumerable<JsonObject> Records(SimStore store, string model) => model switch
    {
        "res.partner" => store.Existing(SimKind.Customers).Select(at => Partner(store, at)),
        "product.product" => store.Existing(SimKind.Products).Select(at => Product(store, at)),
        "product.pricelist.item" => store.Existing(SimKind.Products).Where(at => at.Index % 5 is 0 or 1).Select(at => PricelistItem(store, at)),
        "sale.order" => store.Existing(SimKind.Orders).Select(at => Order(store, at)),
        "sale.order.line" => store.Existing(SimKind.Orders).SelectMany(at => Lines(store, at)),
        _ => [],
    };

    public static bool IsArchived(SimStore store, SimKind kind, int index) => kind switch
    {
        SimKind.Customers => SimRandom.For(store.Config.Seed, 21, index).Int(0, 15) == 0,
        SimKind.Products => SimCatalog.IsDraft(store, index),
        _ => false,
    };

    /// <summary>Whether a pricelist item of this product is a fixed price (the others are percentage rules).</summary>
    public static bool HasFixedPrice(int productIndex) => productIndex % 5 == 0;

    public static decimal FixedPrice(SimProduct product) => Math.Round(product.Variants[0].Price * 0.9m, 2);

    private static JsonObject Partner(SimStore store, SimRef at)
    {
        var c = SimCatalog.Customer(store, at);
        return new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = $"{c.FirstName} {c.LastName}",
            ["email"] = c.Email,
            ["phone"] = false,
            ["is_company"] = false,
            ["active"] = !IsArchived(store, SimKind.Customers, at.Index),
            ["write_date"] = Date(at.UpdatedAt),
        };
    }

    private static JsonObject Product(SimStore store, SimRef at)
    {
        var p = SimCatalog.Product(store, at);
        var v = p.Variants[0];
        return new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = p.Title,
            ["default_code"] = v.Sku,
            ["barcode"] = false,
            ["lst_price"] = v.Price,
            ["qty_available"] = (double)v.Stock,
            ["active"] = !IsArchived(store, SimKind.Products, at.Index),
            ["product_tmpl_id"] = new JsonArray(p.Id, p.Title),
            ["write_date"] = Date(at.UpdatedAt),
        };
    }

    private static JsonObject PricelistItem(SimStore store, SimRef at)
    {
        var p = SimCatalog.Product(store, at);
        var fixedPrice = HasFixedPrice(at.Index);
        return new JsonObject
        {
            ["id"] = (p.Id * 10) + 7,
            ["pricelist_id"] = new JsonArray(1, "Public Pricelist"),
            ["applied_on"] = "0_product_variant",
            ["product_id"] = new JsonArray(p.Id, p.Title),
            ["product_tmpl_id"] = new JsonArray(p.Id, p.Title),
            ["currency_id"] = new JsonArray(1, store.Config.Currency),
            ["compute_price"] = fixedPrice ? "fixed" : "percentage",
            ["fixed_price"] = fixedPrice ? FixedPrice(p) : 0,
            ["percent_price"] = fixedPrice ? 0 : 10,
            ["min_quantity"] = 1,
            ["write_date"] = Date(at.UpdatedAt),
        };
    }

    private static JsonObject Order(SimStore store, SimRef at)
    {
        var o = SimCatalog.Order(store, at);
        return new JsonObject
        {
            ["id"] = o.Id,
            ["name"] = OrderName(o),
            ["state"] = State(o.Status),
            ["date_order"] = Date(o.CreatedAt),
            ["partner_id"] = o.CustomerId is { } customer ? new JsonArray(customer, $"Customer {customer}") : false,
            ["currency_id"] = new JsonArray(1, o.Currency),
            ["amount_total"] = o.Total,
            ["order_line"] = new JsonArray([.. o.Lines.Select(l => (JsonNode)l.Id)]),
            ["write_date"] = Date(at.UpdatedAt),
        };
    }

    private static IEnumerable<JsonObject> Lines(SimStore store, SimRef at)
    {
        var o = SimCatalog.Order(store, at);
        return o.Lines.Select(l => new JsonObject
        {
            ["id"] = l.Id,
            ["order_id"] = new JsonArray(o.Id, OrderName(o)),
            ["product_id"] = new JsonArray(l.ProductId, l.Sku),
            ["name"] = l.Sku,
            ["product_uom_qty"] = (double)l.Quantity,
            ["price_unit"] = l.Price,
            ["write_date"] = Date(at.UpdatedAt),
        });
    }

    public static string OrderName(SimOrder order) => $"S{order.Number:D5}";

    /// <summary>A sale order's state for the catalogue's status.</summary>
    public static string State(string status) => status switch
    {
        "pending" => "draft",
        "refunded" => "cancel",
        _ => "sale",
    };
}

using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Odoo;

/// <summary>
/// What each feed reads: the model, the fields (named, never all: <c>search_read</c> returns what is asked), whether
/// it has <c>active</c> (archived records are read too: the ORM leaves them out unless the domain asks for them), and a
/// domain of its own. Field names from contracts/odoo/sync-notes.md; <c>product.pricelist.item</c>'s are verified there
/// in Odoo's source, the others are the standard names it lists as to be checked on a database's <c>/doc</c> page.
/// </summary>
public sealed record OdooModel(string Name, string[] Fields, bool HasActive, (string Field, string Operator, string Value)[] Domain)
{
    public static readonly OdooModel Partners = new("res.partner", ["name", "email", "is_company", "active", "write_date"], true, []);

    public static readonly OdooModel Products = new("product.product", ["name", "default_code", "barcode", "lst_price", "qty_available", "active", "write_date"], true, []);

    /// <summary>Fixed prices of a single variant: the pricelist items a price record can stand for (a percentage or formula is a rule, not a price).</summary>
    public static readonly OdooModel PricelistItems = new(
        "product.pricelist.item", ["pricelist_id", "product_id", "currency_id", "fixed_price", "min_quantity", "write_date"], false,
        [("applied_on", "=", "0_product_variant"), ("compute_price", "=", "fixed")]);

    public static readonly OdooModel Orders = new("sale.order", ["name", "state", "date_order", "partner_id", "currency_id", "amount_total", "write_date"], false, []);

    public static readonly OdooModel OrderLines = new("sale.order.line", ["order_id", "product_id", "name", "product_uom_qty", "price_unit"], false, []);

    /// <summary>The models a feed reads, one phase after another.</summary>
    public static IReadOnlyList<OdooModel> For(EntityType type) => type switch
    {
        EntityType.Customers => [Partners],
        EntityType.Products => [Products],
        EntityType.Prices => [Products, PricelistItems],
        _ => [Orders],
    };
}

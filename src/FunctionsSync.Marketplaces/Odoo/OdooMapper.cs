using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Odoo;

/// <summary>
/// Odoo records as <c>search_read</c> returns them (a many2one as <c>[id, display name]</c> or <c>false</c>, datetimes as
/// <c>YYYY-MM-DD HH:MM:SS</c> strings in UTC without an offset: contracts/odoo/orm-datetime-write_date-domains.excerpt.rst)
/// as canonical records.
/// </summary>
public static class OdooMapper
{
    public const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    public static long Id(JsonElement record) => record.Long("id");

    public static string WriteDate(JsonElement record) => record.Str("write_date");

    /// <summary>An Odoo datetime string, which is UTC.</summary>
    public static DateTimeOffset Date(string value) =>
        DateTimeOffset.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new RecordFieldException("write_date", $"unreadable datetime '{value}' in");

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static CustomerRecord Customer(JsonElement partner)
    {
        var name = Text(partner, "name") ?? "";
        var space = name.IndexOf(' ');
        return new CustomerRecord
        {
            ExternalId = Id(partner).ToString(CultureInfo.InvariantCulture),
            UpdatedAt = Date(WriteDate(partner)),
            Email = Text(partner, "email"),
            FirstName = space > 0 ? name[..space] : name,
            LastName = space > 0 ? name[(space + 1)..] : null,
        };
    }

    /// <summary>A variant with its stock: <c>qty_available</c> is computed by the stock module, and moving stock does not change <c>write_date</c>.</summary>
    public static ProductRecord Product(JsonElement product)
    {
        var sku = Text(product, "default_code");
        return new ProductRecord
        {
            ExternalId = Id(product).ToString(CultureInfo.InvariantCulture),
            UpdatedAt = Date(WriteDate(product)),
            Title = Text(product, "name") ?? throw new RecordFieldException("name", "missing"),
            Status = product.Opt("active") is { ValueKind: JsonValueKind.False } ? "archived" : "active",
            Skus = sku is null ? [] : [sku],
            Inventory = product.Opt("qty_available") is { ValueKind: JsonValueKind.Number } qty ? [new InventoryLevel(sku, "odoo", (int)Math.Floor(qty.GetDouble()))] : [],
        };
    }

    /// <summary>A variant's list price (<c>lst_price</c>: the template's sales price plus the variant's extra), in the connection's currency.</summary>
    public static PriceRecord ListPrice(JsonElement product, string currency)
    {
        var id = Id(product).ToString(CultureInfo.InvariantCulture);
        return new PriceRecord
        {
            ExternalId = id,
            ProductExternalId = id,
            UpdatedAt = Date(WriteDate(product)),
            Sku = Text(product, "default_code"),
            Currency = currency,
            Amount = product.Decimal("lst_price"),
        };
    }

    /// <summary>A pricelist's fixed price for one variant, in the pricelist's currency.</summary>
    public static PriceRecord PricelistPrice(JsonElement item) => new()
    {
        ExternalId = $"item-{Id(item).ToString(CultureInfo.InvariantCulture)}",
        ProductExternalId = Many2OneId(item, "product_id") ?? throw new RecordFieldException("product_id", "missing"),
        UpdatedAt = Date(WriteDate(item)),
        Currency = Many2OneName(item, "currency_id") ?? throw new RecordFieldException("currency_id", "missing"),
        Amount = item.Decimal("fixed_price"),
    };

    public static OrderRecord Order(JsonElement order, IReadOnlyList<JsonElement> lines) => new()
    {
        ExternalId = Id(order).ToString(CultureInfo.InvariantCulture),
        UpdatedAt = Date(WriteDate(order)),
        OrderNumber = Text(order, "name"),
        Status = Text(order, "state") ?? throw new RecordFieldException("state", "missing"),
        Currency = Many2OneName(order, "currency_id") ?? throw new RecordFieldException("currency_id", "missing"),
        Total = order.Decimal("amount_total"),
        CustomerExternalId = Many2OneId(order, "partner_id"),
        CreatedAt = Text(order, "date_order") is { } placed ? Date(placed) : null,
        Lines = [.. lines.Select(line => new OrderLine(
            Id(line).ToString(CultureInfo.InvariantCulture),
            Many2OneId(line, "product_id"),
            null,
            (int)Math.Round(line.Opt("product_uom_qty")?.GetDouble() ?? 0),
            line.Decimal("price_unit")))],
    };

    /// <summary>The id of a many2one (<c>[id, name]</c>), null for <c>false</c>.</summary>
    public static string? Many2OneId(JsonElement record, string field) =>
        record.Opt(field) is { ValueKind: JsonValueKind.Array } pair && pair.GetArrayLength() > 0 ? pair[0].GetRawText() : null;

    private static string? Many2OneName(JsonElement record, string field) =>
        record.Opt(field) is { ValueKind: JsonValueKind.Array } pair && pair.GetArrayLength() > 1 ? pair[1].GetString() : null;

    /// <summary>A char field: Odoo sends <c>false</c> for an empty one.</summary>
    private static string? Text(JsonElement record, string field) =>
        record.Opt(field) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;
}

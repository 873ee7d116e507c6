using System.Globalization;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// The order report's rows (<c>GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL</c>: tab-separated, a header,
/// then one row per order item, an order's rows together) as the same <see cref="OrderRecord"/> getOrders gives: its
/// total is what the rows charge (items, tax, shipping, gift wrap, less promotions), its lines are its rows
/// (<see cref="AmazonOrderLines"/>: sku, asin, quantity, item-price, as getOrderItems gives them). The report carries no buyer
/// email (Amazon gives that only to getOrders, behind a restricted data token), so these records have none.
/// </summary>
internal sealed class AmazonOrderRows
{
    private static readonly string[] Charges = ["item-price", "item-tax", "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax"];
    private static readonly string[] Discounts = ["item-promotion-discount", "ship-promotion-discount"];
    private static readonly string[] Required = ["amazon-order-id", "last-updated-date", "order-status", "currency", "item-price"];

    private readonly Dictionary<string, int> columns;

    /// <summary>Whether the report names its rows' items (a report of orders only has no lines to give).</summary>
    private readonly bool hasItems;

    private AmazonOrderRows(Dictionary<string, int> columns)
    {
        this.columns = columns;
        hasItems = columns.ContainsKey("quantity") && (columns.ContainsKey("sku") || columns.ContainsKey("asin"));
    }

    public static AmazonOrderRows FromHeader(string header, string what)
    {
        var columns = header.Split('\t').Select((name, i) => (name.Trim(), i)).GroupBy(c => c.Item1).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var missing = Required.Where(c => !columns.ContainsKey(c)).ToList();
        return missing.Count == 0
            ? new AmazonOrderRows(columns)
            : throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the report has no {string.Join(", ", missing)} column");
    }

    public string OrderId(string[] row) => Cell(row, "amazon-order-id");

    /// <summary>One order from its rows, or why it cannot be read (naming the column).</summary>
    public (OrderRecord? Record, RejectedRecord? Rejected) Order(IReadOnlyList<string[]> rows)
    {
        var first = rows[0];
        var id = OrderId(first);
        var updated = Date(first, "last-updated-date");
        try
        {
            var total = 0m;
            foreach (var row in rows)
            {
                total += Charges.Sum(c => Money(row, c));
                // Promotions are reported as amounts off, with or without a sign.
                total -= Discounts.Sum(c => Math.Abs(Money(row, c)));
            }

            var record = new OrderRecord
            {
                ExternalId = id.Length > 0 ? id : throw new FormatException("amazon-order-id: empty"),
                UpdatedAt = updated ?? throw new FormatException("last-updated-date: missing or not a date"),
                OrderNumber = id,
                Status = Cell(first, "order-status") is { Length: > 0 } status ? status : throw new FormatException("order-status: empty"),
                Currency = Cell(first, "currency"),
                Total = total,
                CreatedAt = Date(first, "purchase-date"),
                Lines = !hasItems ? [] : AmazonOrderLines.From(rows.Select(row => new AmazonOrderLines.Item(Cell(row, "sku"), Cell(row, "asin"), Quantity(row), Money(row, "item-price")))),
            };
            return (record, null);
        }
        catch (FormatException ex)
        {
            return (null, new RejectedRecord(id.Length > 0 ? id : null, updated, ex.Message));
        }
    }

    private string Cell(string[] row, string column) =>
        columns.TryGetValue(column, out var i) && i < row.Length ? row[i].Trim() : "";

    private decimal Money(string[] row, string column)
    {
        var text = Cell(row, column);
        if (text.Length == 0)
        {
            return 0;
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{column}: '{(text.Length > 30 ? text[..30] + "…" : text)}' is not an amount");
    }

    private int Quantity(string[] row)
    {
        var text = Cell(row, "quantity");
        return text.Length == 0 ? 0
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
            : throw new FormatException($"quantity: '{(text.Length > 30 ? text[..30] + "…" : text)}' is not a count");
    }

    private DateTimeOffset? Date(string[] row, string column) =>
        DateTimeOffset.TryParse(Cell(row, column), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value.ToUniversalTime() : null;
}

using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// An Amazon order's lines, built alike from getOrderItems and from the order report's rows so that a full sync from a
/// report and an incremental one from getOrders store the same record. The report carries no order-item id, so a line
/// is keyed by its SKU (a SKU repeated within the order: <c>SKU#2</c>, <c>SKU#3</c>…; none: its ASIN, then its position).
/// </summary>
internal static class AmazonOrderLines
{
    /// <summary>One item as both sources give it: <paramref name="itemPrice"/> is the price of the whole quantity, as Amazon reports it.</summary>
    public readonly record struct Item(string? Sku, string? Asin, int Quantity, decimal ItemPrice);

    public static IReadOnlyList<OrderLine> From(IEnumerable<Item> items)
    {
        var lines = new List<OrderLine>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var sku = string.IsNullOrWhiteSpace(item.Sku) ? null : item.Sku;
            var asin = string.IsNullOrWhiteSpace(item.Asin) ? null : item.Asin;
            var key = sku ?? asin ?? $"item-{lines.Count + 1}";
            var n = seen[key] = seen.GetValueOrDefault(key) + 1;
            // A cancelled item can be ordered 0 times; its price is then the unit price as given.
            var unit = item.Quantity > 0 ? Math.Round(item.ItemPrice / item.Quantity, 4) : item.ItemPrice;
            lines.Add(new OrderLine(n == 1 ? key : $"{key}#{n}", asin, sku, item.Quantity, unit));
        }

        return lines;
    }
}

using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Amazon;

namespace FunctionsSync.UnitTests.Marketplaces;

public sealed class AmazonOrderRowsTests
{
    private const string Header = "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount";

    private static string[] Row(string line) => line.Split('\t');

    [Fact]
    public void An_orders_rows_give_one_record_charging_items_tax_shipping_and_gift_wrap_less_promotions()
    {
        var rows = AmazonOrderRows.FromHeader(Header, "test");
        var (record, rejected) = rows.Order(
        [
            Row("111-1-1\t2024-01-01T10:00:00Z\t2024-01-02T11:00:00+00:00\tShipped\tEUR\t20.00\t1.50\t4.99\t0.50\t2.00\t0.10\t-3.00\t"),
            // Promotions appear with or without a sign; empty cells are nothing.
            Row("111-1-1\t\t\t\tEUR\t10.00\t\t\t\t\t\t1.00\t4.99"),
        ]);

        Assert.Null(rejected);
        Assert.Equal("111-1-1", record!.ExternalId);
        Assert.Equal("111-1-1", record.OrderNumber);
        Assert.Equal(20.00m + 1.50m + 4.99m + 0.50m + 2.00m + 0.10m - 3.00m + 10.00m - 1.00m - 4.99m, record.Total);
        Assert.Equal(("Shipped", "EUR"), (record.Status, record.Currency));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 11, 0, 0, TimeSpan.Zero), record.UpdatedAt);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), record.CreatedAt);
        Assert.Null(record.Email);
    }

    [Fact]
    public void An_order_with_an_unreadable_amount_is_rejected_naming_the_column()
    {
        var rows = AmazonOrderRows.FromHeader(Header, "test");
        var (record, rejected) = rows.Order([Row("111-2-2\t\t2024-01-02T11:00:00Z\tShipped\tUSD\ttwelve\t\t\t\t\t\t\t")]);
        Assert.Null(record);
        Assert.Equal("111-2-2", rejected!.ExternalId);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 11, 0, 0, TimeSpan.Zero), rejected.UpdatedAt);
        Assert.Contains("item-price", rejected.Reason);
    }

    [Fact]
    public void An_order_without_a_change_time_is_rejected()
    {
        var rows = AmazonOrderRows.FromHeader(Header, "test");
        var (_, rejected) = rows.Order([Row("111-3-3\t\tyesterday\tShipped\tUSD\t1.00\t\t\t\t\t\t\t")]);
        Assert.Contains("last-updated-date", rejected!.Reason);
        Assert.Null(rejected.UpdatedAt);
    }

    [Fact]
    public void A_report_without_the_columns_an_order_needs_is_a_bad_response()
    {
        var error = Assert.Throws<MarketplaceException>(() => AmazonOrderRows.FromHeader("amazon-order-id\tsku", "amazon order report"));
        Assert.Equal(MarketplaceErrorKind.BadResponse, error.Kind);
        Assert.Contains("last-updated-date", error.Message);
    }

    [Fact]
    public void An_orders_rows_are_its_lines_keyed_by_sku_with_a_repeated_sku_numbered_and_the_unit_price_of_the_quantity()
    {
        var rows = AmazonOrderRows.FromHeader("amazon-order-id\tlast-updated-date\torder-status\tcurrency\tsku\tasin\tquantity\titem-price", "test");
        var (record, rejected) = rows.Order(
        [
            Row("111-4-4\t2024-01-02T11:00:00Z\tShipped\tUSD\tSKU-A\tB000000001\t3\t30.00"),
            Row("111-4-4\t\t\tUSD\tSKU-B\tB000000002\t1\t9.99"),
            Row("111-4-4\t\t\tUSD\tSKU-A\tB000000001\t2\t10.00"),
            // No SKU: the ASIN names the line; a cancelled item (quantity 0) keeps its price as given.
            Row("111-4-4\t\t\tUSD\t\tB000000003\t0\t4.00"),
        ]);

        Assert.Null(rejected);
        Assert.Equal(
            new OrderLine[] { new("SKU-A", "B000000001", "SKU-A", 3, 10.00m), new("SKU-B", "B000000002", "SKU-B", 1, 9.99m), new("SKU-A#2", "B000000001", "SKU-A", 2, 5.00m), new("B000000003", "B000000003", null, 0, 4.00m) },
            record!.Lines.ToArray());
    }

    [Fact]
    public void An_unreadable_quantity_rejects_the_order_and_a_report_without_item_columns_gives_no_lines()
    {
        var rows = AmazonOrderRows.FromHeader("amazon-order-id\tlast-updated-date\torder-status\tcurrency\tsku\tquantity\titem-price", "test");
        var (_, rejected) = rows.Order([Row("111-5-5\t2024-01-02T11:00:00Z\tShipped\tUSD\tSKU-A\tthree\t30.00")]);
        Assert.Contains("quantity", rejected!.Reason);

        var (record, _) = AmazonOrderRows.FromHeader(Header, "test").Order([Row("111-6-6\t\t2024-01-02T11:00:00Z\tShipped\tUSD\t1.00\t\t\t\t\t\t\t")]);
        Assert.Empty(record!.Lines);
    }
}

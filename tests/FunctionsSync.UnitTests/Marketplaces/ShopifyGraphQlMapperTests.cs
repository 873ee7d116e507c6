using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Shopify;

namespace FunctionsSync.UnitTests.Marketplaces;

public sealed class ShopifyGraphQlMapperTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void An_order_node_becomes_the_record_REST_makes_of_it()
    {
        var order = Json("""
            {"id":"gid://shopify/Order/1001","name":"#2001","email":"a@b.c","createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z",
             "currencyCode":"EUR","displayFinancialStatus":"PARTIALLY_REFUNDED","totalPriceSet":{"shopMoney":{"amount":"12.50","currencyCode":"EUR"}},
             "customer":{"id":"gid://shopify/Customer/7"},
             "lineItems":{"nodes":[{"id":"gid://shopify/LineItem/5","sku":"S-1","quantity":2,"originalUnitPriceSet":{"shopMoney":{"amount":"6.25"}},"product":{"id":"gid://shopify/Product/9?v=1"}}],"pageInfo":{"hasNextPage":false}}}
            """);
        var record = (OrderRecord)ShopifyGraphQlMapper.Map(EntityType.Orders, order, ShopifyGraphQlMapper.Nested(order, "lineItems"), "USD").Single();
        Assert.Equal(("1001", "#2001", "partially_refunded", "EUR", 12.50m, "7"), (record.ExternalId, record.OrderNumber, record.Status, record.Currency, record.Total, record.CustomerExternalId));
        Assert.Equal(new OrderLine("5", "9", "S-1", 2, 6.25m), Assert.Single(record.Lines));
    }

    [Fact]
    public void A_nested_connection_with_more_than_one_page_is_refused_naming_it()
    {
        var product = Json("""{"id":"gid://shopify/Product/1","title":"t","updatedAt":"2024-01-02T00:00:00Z","variants":{"nodes":[],"pageInfo":{"hasNextPage":true}}}""");
        var error = Assert.Throws<RecordFieldException>(() => ShopifyGraphQlMapper.Nested(product, "variants").ToList());
        Assert.Contains("variants", error.Message);
    }

    [Fact]
    public void A_page_is_as_large_as_one_query_and_the_bucket_allow()
    {
        Assert.Equal(250, ShopifyGraphQlQueries.PageSize(EntityType.Customers, 500, null));
        Assert.Equal(11, ShopifyGraphQlQueries.PageSize(EntityType.Orders, 250, null));
        Assert.True(ShopifyGraphQlQueries.PageCost(EntityType.Orders, 11) <= 1_000);
        Assert.Equal(4, ShopifyGraphQlQueries.PageSize(EntityType.Orders, 250, 400));
    }
}

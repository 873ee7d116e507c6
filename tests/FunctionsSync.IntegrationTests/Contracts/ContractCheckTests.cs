namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// The contract checks can fail: a request with a parameter its operation does not declare, a value outside an enum
/// or range, a GraphQL field or argument the schema lacks, a response of the wrong shape, each is reported.
/// </summary>
public sealed class ContractCheckTests
{
    [ContractFact]
    public void An_undeclared_or_out_of_range_parameter_is_reported()
    {
        var etsy = OpenApiContract.Load("etsy/etsy-openapi-v3.json");
        Assert.Empty(etsy.CheckRequest("GET", "/v3/application/shops/42/listings?state=draft&limit=100&offset=0"));
        Assert.Contains(etsy.CheckRequest("GET", "/v3/application/shops/42/listings?state=active&min_last_modified=1704067200"), e => e.Contains("'min_last_modified' is not a parameter of getListingsByShop", StringComparison.Ordinal));
        Assert.Contains(etsy.CheckRequest("GET", "/v3/application/shops/42/listings?state=deleted"), e => e.Contains("state=deleted", StringComparison.Ordinal));
        Assert.Contains(etsy.CheckRequest("GET", "/v3/application/shops/42/receipts?limit=101"), e => e.Contains("above the maximum", StringComparison.Ordinal));
        Assert.Contains(etsy.CheckRequest("GET", "/v3/application/shops/42/unknown"), e => e.Contains("no operation", StringComparison.Ordinal));

        var amazon = OpenApiContract.Load("amazon/orders_2026-01-01.json");
        Assert.Empty(amazon.CheckRequest("GET", "/orders/2026-01-01/orders?marketplaceIds=ATVPDKIKX0DER&lastUpdatedAfter=2026-01-01T00%3A00%3A00Z&includedData=PROCEEDS,FULFILLMENT"));
        Assert.Contains(amazon.CheckRequest("GET", "/orders/2026-01-01/orders?lastUpdatedAfter=2026-01-01T00%3A00%3A00Z&includedData=ITEMS"), e => e.Contains("includedData=ITEMS", StringComparison.Ordinal));
        Assert.Contains(amazon.CheckRequest("GET", "/orders/2026-01-01/orders?LastUpdatedAfter=2026-01-01T00%3A00%3A00Z"), e => e.Contains("'LastUpdatedAfter' is not a parameter", StringComparison.Ordinal));
    }

    [ContractFact]
    public void WooCommerce_customers_refuse_a_modified_order_and_register_no_date_filter()
    {
        var woo = WooCommerceContract.Load();
        Assert.Empty(woo.CheckRequest("customers?per_page=100&orderby=id&order=asc&offset=0"));
        Assert.Empty(woo.CheckRequest("orders?per_page=100&orderby=modified&order=asc&dates_are_gmt=true&modified_after=2026-01-01T00%3A00%3A00Z"));
        Assert.Contains(woo.CheckRequest("customers?orderby=modified"), e => e.Contains("orderby=modified", StringComparison.Ordinal));
        Assert.Contains(woo.CheckRequest("customers?modified_after=2026-01-01T00%3A00%3A00Z"), e => e.Contains("'modified_after' is not registered", StringComparison.Ordinal));
        Assert.Contains(woo.CheckRequest("products/12/variations?orderby=price"), e => e.Contains("orderby=price", StringComparison.Ordinal));
        Assert.Contains(woo.CheckRequest("orders?per_page=101"), e => e.Contains("per_page", StringComparison.Ordinal));
    }

    [ContractFact]
    public void A_GraphQL_field_argument_or_enum_value_the_schema_lacks_is_reported()
    {
        var schema = ShopifySchema.For("2026-01")!;
        Assert.Empty(schema.Validate("query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount } } }"));
        Assert.Contains(schema.Validate("{ orders(first: 5) { nodes { id grandTotal } } }"), e => e.Contains("'grandTotal' does not exist on type 'Order'", StringComparison.Ordinal));
        Assert.Contains(schema.Validate("{ orders(first: 5, updatedSince: \"x\") { nodes { id } } }"), e => e.Contains("argument 'updatedSince'", StringComparison.Ordinal));
        Assert.Contains(schema.Validate("{ orders(first: 5, sortKey: MODIFIED_AT) { nodes { id } } }"), e => e.Contains("MODIFIED_AT", StringComparison.Ordinal));
        Assert.Contains(schema.Validate("{ customers(first: 5) { nodes { email } } }"), e => e.Contains("deprecated", StringComparison.Ordinal));
        Assert.Contains(schema.Validate("mutation { bulkOperationRunQuery { bulkOperation { id } } }"), e => e.Contains("required argument 'query'", StringComparison.Ordinal));
        Assert.Contains(schema.Validate("{ orders(first: 5) { nodes } }"), e => e.Contains("needs a selection", StringComparison.Ordinal));
        // groupObjects exists from 2025-07 on: in the 2026-01 schema, not as a misspelling.
        Assert.Empty(schema.Validate("mutation { bulkOperationRunQuery(query: \"{ shop { id } }\", groupObjects: false) { bulkOperation { id } userErrors { message } } }"));
        Assert.NotEmpty(schema.Validate("mutation { bulkOperationRunQuery(query: \"{ shop { id } }\", groupObject: false) { bulkOperation { id } } }"));
    }

    [ContractFact]
    public void A_response_of_the_wrong_shape_is_reported()
    {
        var etsy = OpenApiContract.Load("etsy/etsy-openapi-v3.json");
        using var good = System.Text.Json.JsonDocument.Parse("""{"count":1,"results":[{"listing_id":1,"state":"active","quantity":3}]}""");
        using var bad = System.Text.Json.JsonDocument.Parse("""{"count":"1","results":[{"listing_id":"1","state":"gone"}]}""");
        Assert.Empty(etsy.CheckResponse("GET", "/v3/application/shops/42/listings", 200, good.RootElement));
        var errors = etsy.CheckResponse("GET", "/v3/application/shops/42/listings", 200, bad.RootElement);
        Assert.Contains(errors, e => e.Contains(".count: a String", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("listing_id", StringComparison.Ordinal));
    }
}

using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// The GraphQL documents the adapter sends and what they cost. Shopify charges 1 per object and 2 plus
/// <c>first</c> × the node's cost per connection, at most 1,000 a query; a page's size is what fits.
/// </summary>
internal static class ShopifyGraphQlQueries
{
    /// <summary>Line items or variants read with their order or product; more make the record be read by a bulk query.</summary>
    public const int NestedPage = 20;

    public const int MaxQueryCost = 1_000;
    public const int MaxFirst = 250;

    private const string OrderFields = "id name email createdAt updatedAt currencyCode displayFinancialStatus totalPriceSet { shopMoney { amount currencyCode } } customer { id }";
    private const string LineFields = "id sku quantity originalUnitPriceSet { shopMoney { amount } } product { id }";
    private const string ProductFields = "id title status createdAt updatedAt";
    private const string VariantFields = "id sku price compareAtPrice inventoryQuantity";
    // Customer.email is deprecated in 2026-01 ("Use `defaultEmailAddress.emailAddress` instead": admin_2026-01.json.gz).
    private const string CustomerFields = "id defaultEmailAddress { emailAddress } firstName lastName numberOfOrders createdAt updatedAt";

    /// <summary>The connection a feed reads (prices come with products' variants).</summary>
    public static string Connection(EntityType type) => type switch
    {
        EntityType.Orders => "orders",
        EntityType.Customers => "customers",
        _ => "products",
    };

    /// <summary>The cost of one node of the feed's paged query: the object, its objects, its nested page.</summary>
    public static int NodeCost(EntityType type) => type switch
    {
        // order 1 + totalPriceSet/shopMoney 2 + customer 1 + lineItems (2 + 20 × (line 1 + price set/shopMoney 2 + product 1))
        EntityType.Orders => 1 + 2 + 1 + 2 + NestedPage * 4,
        // customer 1 + defaultEmailAddress 1
        EntityType.Customers => 2,
        // product 1 + variants (2 + 20 × 1)
        _ => 1 + 2 + NestedPage,
    };

    /// <summary>The largest page whose requested cost fits one query and the shop's bucket.</summary>
    public static int PageSize(EntityType type, int wanted, double? bucket)
    {
        var cap = Math.Min(MaxQueryCost, bucket ?? MaxQueryCost);
        return Math.Clamp((int)((cap - 2) / NodeCost(type)), 1, Math.Min(MaxFirst, Math.Max(1, wanted)));
    }

    public static int PageCost(EntityType type, int first) => 2 + first * NodeCost(type);

    public static string Page(EntityType type)
    {
        var nested = type switch
        {
            EntityType.Orders => $"{OrderFields} lineItems(first: {NestedPage}) {{ nodes {{ {LineFields} }} pageInfo {{ hasNextPage }} }}",
            EntityType.Customers => CustomerFields,
            _ => $"{ProductFields} variants(first: {NestedPage}) {{ nodes {{ {VariantFields} }} pageInfo {{ hasNextPage }} }}",
        };
        return $"query Page($first: Int!, $after: String, $query: String) {{ {Connection(type)}(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{ nodes {{ {nested} }} pageInfo {{ hasNextPage endCursor }} }} }}";
    }

    public static string Count(EntityType type) => $"query Count($query: String) {{ {Connection(type)}Count(query: $query) {{ count }} }}";

    /// <summary>The bulk query of a feed: every record, nested connections unpaged (their nodes on lines of their own).</summary>
    public static string Bulk(EntityType type, string? search)
    {
        var filter = search is null ? "" : $"(query: \"{search.Replace("\"", "\\\"", StringComparison.Ordinal)}\")";
        var node = type switch
        {
            EntityType.Orders => $"{OrderFields} lineItems {{ edges {{ node {{ {LineFields} }} }} }}",
            EntityType.Customers => CustomerFields,
            _ => $"{ProductFields} variants {{ edges {{ node {{ {VariantFields} }} }} }}",
        };
        return $"{{ {Connection(type)}{filter} {{ edges {{ node {{ {node} }} }} }} }}";
    }

    /// <summary>
    /// The first Admin API version in which an app runs up to five bulk queries at a time per shop, one before (Shopify's
    /// bulk operations guide, shopify.dev/docs/api/usage/bulk-operations/queries).
    /// </summary>
    public const string FiveBulkQueriesSince = "2026-01";

    /// <summary>The first Admin API version whose <c>bulkOperationRunQuery</c> takes <c>groupObjects</c> (changelog-bulk-groupObjects.md).</summary>
    public const string GroupObjectsSince = "2025-07";

    /// <summary>
    /// Starts a bulk query. <c>groupObjects: false</c> is sent explicitly wherever the argument exists: grouping
    /// "slows down bulk operations and increases the likelihood of timeouts" (docs/bulkOperationRunQuery.md), its
    /// default was true in 2025-07 and 2025-10 and is false from 2026-01, and the adapter groups the file itself, so
    /// every version behaves alike.
    /// </summary>
    public static string RunBulk(string apiVersion) =>
        string.CompareOrdinal(apiVersion, GroupObjectsSince) >= 0
            ? "mutation RunBulk($query: String!) { bulkOperationRunQuery(query: $query, groupObjects: false) { bulkOperation { id status } userErrors { field message } } }"
            : "mutation RunBulk($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } } }";

    public const string CancelBulk = "mutation CancelBulk($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }";

    public const string BulkStatus = "query BulkStatus($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl } } }";
}

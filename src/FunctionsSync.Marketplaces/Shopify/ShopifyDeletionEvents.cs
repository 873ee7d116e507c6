using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Deletions as Shopify lists them: the <c>events</c> query filtered by <c>subject_type</c>, <c>action:destroy</c> and
/// <c>created_at</c> (contracts/shopify/admin_2026-04.deletion-events-slice.json: <c>deletionEvents</c> is deprecated,
/// "Use <c>events</c> instead"; the filters and <c>BasicEvent.subjectId</c> are from the same slice). Event data is
/// kept for a year, which bounds how long a connection may go unsynced before only a full sync finds its deletions.
/// A deleted product's variants get no events of their own: their prices become tombstones at the next full sync.
/// </summary>
public sealed class ShopifyDeletionEvents(ShopifyGraphQlClient client)
{
    private const int PageSize = 250;

    private const string Query = """
        query Deletions($first: Int!, $after: String, $query: String) {
          events(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
            nodes { ... on BasicEvent { subjectId subjectType action } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    public static IReadOnlySet<EntityType> Feeds { get; } = new HashSet<EntityType> { EntityType.Orders, EntityType.Customers, EntityType.Products, EntityType.Prices };

    public async Task<DeletionPage> FetchAsync(Connection connection, EntityType type, DateTimeOffset since, string? pageToken, CancellationToken cancellationToken)
    {
        // A price is a variant's: its own deletion is a PRODUCT_VARIANT event.
        var subject = type switch
        {
            EntityType.Orders => "ORDER",
            EntityType.Customers => "CUSTOMER",
            EntityType.Products => "PRODUCT",
            _ => "PRODUCT_VARIANT",
        };
        var search = $"subject_type:{subject} AND action:destroy AND comments:false AND created_at:>='{AdapterSupport.Iso(since)}'";
        var what = $"shopify {type.ToWire()} deletions";
        using var answer = await client.QueryAsync(connection, Query, new { first = PageSize, after = pageToken, query = search }, 2 + PageSize, what, cancellationToken);
        if (answer.RootElement.Opt("events") is not { } events || events.Opt("nodes") is not { ValueKind: JsonValueKind.Array } nodes)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the answer has no 'events.nodes'");
        }

        var ids = new List<string>();
        foreach (var node in nodes.EnumerateArray())
        {
            // Checked again here: a filter the search did not apply must not tombstone a live record.
            if (node.OptStr("action") == "destroy" && node.OptStr("subjectType") == subject && node.OptStr("subjectId") is { } gid && gid.LastIndexOf('/') is var slash and >= 0)
            {
                ids.Add(gid[(slash + 1)..]);
            }
        }

        var next = events.Opt("pageInfo") is { } info && info.Opt("hasNextPage") is { ValueKind: JsonValueKind.True } ? info.OptStr("endCursor") : null;
        return new DeletionPage(ids, next);
    }
}

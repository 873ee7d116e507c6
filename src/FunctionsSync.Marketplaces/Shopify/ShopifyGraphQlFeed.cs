using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Paging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// A feed read with paged GraphQL queries in <c>updated_at</c> order (<c>sortKey: UPDATED_AT</c>, ties by id), each
/// page as large as its cost allows. A cursor stops at 25,000 objects, so after
/// <see cref="ShopifyOptions.WindowObjects"/> the feed starts a new window at the last record's change time (<c>updated_at:&gt;=</c>)
/// and leaves out what it read of that instant. Incremental syncs, and full syncs whose bulk query failed or ran too long.
/// </summary>
public sealed class ShopifyGraphQlFeed(ShopifyGraphQlClient client, ShopifyCostBudgets budgets, IOptions<ShopifyOptions> options)
{
    /// <summary>Ids a by-id query names at most, keeping its search string short.</summary>
    public const int MaxIdsPerQuery = 50;

    public async Task<FetchPage> FetchAsync(Connection connection, EntityType type, DateTimeOffset? since, string? pageToken, int pageSize, CancellationToken cancellationToken)
    {
        ShopifyPageToken token;
        if (pageToken is null)
        {
            token = new ShopifyPageToken(since, -1, null, 0, null, -1);
        }
        else if (!ShopifyPageToken.TryDecode(pageToken, out token))
        {
            throw AdapterSupport.BadToken(MarketplaceNames.Shopify, pageToken);
        }

        var first = ShopifyGraphQlQueries.PageSize(type, pageSize, budgets.For(connection.Id).Plan?.Maximum);
        if (token.WindowCount + first > options.Value.WindowObjects && token.LastUpdated is { } last)
        {
            // A new window before the cursor's limit: from the last record's instant, without what was read of it.
            token = new ShopifyPageToken(last, token.LastId, null, 0, token.LastUpdated, token.LastId);
        }

        var search = token.WindowStart is { } start ? $"updated_at:>='{AdapterSupport.Iso(start)}'" : null;
        var what = $"shopify {type.ToWire()} page";
        using var answer = await client.QueryAsync(
            connection, ShopifyGraphQlQueries.Page(type), new { first, after = token.Cursor, query = search }, ShopifyGraphQlQueries.PageCost(type, first), what, cancellationToken);
        var connectionName = ShopifyGraphQlQueries.Connection(type);
        if (answer.RootElement.Opt(connectionName) is not { } page || page.Opt("nodes") is not { ValueKind: JsonValueKind.Array } nodes)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the answer has no '{connectionName}.nodes'");
        }

        var (records, rejected) = Map(connection, type, nodes, what, node => !ReadBefore(node, token));

        var lastNode = nodes.GetArrayLength() > 0 ? nodes[nodes.GetArrayLength() - 1] : (JsonElement?)null;
        var lastUpdated = lastNode?.OptDate("updatedAt") ?? token.LastUpdated;
        var lastId = lastNode is { } l && long.TryParse(RecordMapper.Safe(() => ShopifyGraphQlMapper.NumericId(l)), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : token.LastId;
        string? next = null;
        if (page.Opt("pageInfo") is { } info && info.Opt("hasNextPage") is { ValueKind: JsonValueKind.True })
        {
            next = (token with { Cursor = info.OptStr("endCursor"), WindowCount = token.WindowCount + nodes.GetArrayLength(), LastUpdated = lastUpdated, LastId = lastId }).Encode();
        }

        var total = pageToken is null && type != EntityType.Prices ? await CountAsync(connection, type, search, cancellationToken) : null;
        return new FetchPage(records, rejected, next, total);
    }

    /// <summary>
    /// Named records (<see cref="FetchRequest.Ids"/>): the same page query filtered by <c>id:</c> terms joined with
    /// <c>OR</c> (each list's <c>query</c> takes <c>id</c>, "Filter by id range", in contracts/shopify/admin_2026-04.json.gz),
    /// up to <see cref="MaxIdsPerQuery"/> a query and never more than its cost allows; a product's id reads its prices.
    /// </summary>
    public async Task<FetchPage> FetchByIdsAsync(Connection connection, EntityType type, IReadOnlyList<string> ids, string? pageToken, int pageSize, CancellationToken cancellationToken)
    {
        var first = Math.Min(MaxIdsPerQuery, ShopifyGraphQlQueries.PageSize(type, pageSize, budgets.For(connection.Id).Plan?.Maximum));
        var (slice, next) = IdSlices.Take(MarketplaceNames.Shopify, ids, pageToken, first);
        var terms = slice.Where(id => id.Length > 0 && id.All(char.IsAsciiDigit)).Select(id => $"id:{id}").ToList();
        if (terms.Count == 0)
        {
            return new FetchPage([], [], next);
        }

        var what = $"shopify {type.ToWire()} by id";
        using var answer = await client.QueryAsync(
            connection, ShopifyGraphQlQueries.Page(type), new { first = terms.Count, after = (string?)null, query = string.Join(" OR ", terms) },
            ShopifyGraphQlQueries.PageCost(type, terms.Count), what, cancellationToken);
        if (answer.RootElement.Opt(ShopifyGraphQlQueries.Connection(type))?.Opt("nodes") is not { ValueKind: JsonValueKind.Array } nodes)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the answer has no '{ShopifyGraphQlQueries.Connection(type)}.nodes'");
        }

        var named = slice.ToHashSet(StringComparer.Ordinal);
        // Only what was named: a search term the shop ignored would otherwise list records nobody asked for.
        var (records, rejected) = Map(connection, type, nodes, what, node => RecordMapper.Safe(() => ShopifyGraphQlMapper.NumericId(node)) is { } id && named.Contains(id));
        return new FetchPage(records, rejected, next);
    }

    /// <summary>The page's nodes as records, each order with its lines and each product with its variants.</summary>
    private static (List<CanonicalRecord> Records, List<RejectedRecord> Rejected) Map(Connection connection, EntityType type, JsonElement nodes, string what, Func<JsonElement, bool> include)
    {
        var nested = type == EntityType.Orders ? "lineItems" : "variants";
        var currency = ShopifySettings.Of(connection).Currency;
        return RecordMapper.Map(
            nodes,
            what,
            node => ShopifyGraphQlMapper.Map(type, node, type == EntityType.Customers ? [] : ShopifyGraphQlMapper.Nested(node, nested), currency),
            node => RecordMapper.Safe(() => ShopifyGraphQlMapper.NumericId(node)),
            node => node.OptDate("updatedAt"),
            include);
    }

    /// <summary>A record of the window's first instant that the window before already read.</summary>
    private static bool ReadBefore(JsonElement node, ShopifyPageToken token) =>
        token.SkipId >= 0 && token.WindowStart is { } start && node.OptDate("updatedAt") == start
        && long.TryParse(RecordMapper.Safe(() => ShopifyGraphQlMapper.NumericId(node)), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= token.SkipId;

    private async Task<long?> CountAsync(Connection connection, EntityType type, string? search, CancellationToken cancellationToken)
    {
        using var answer = await client.QueryAsync(connection, ShopifyGraphQlQueries.Count(type), new { query = search }, 1, $"shopify {type.ToWire()} count", cancellationToken);
        return answer.RootElement.Opt(ShopifyGraphQlQueries.Connection(type) + "Count")?.Opt("count") is { ValueKind: JsonValueKind.Number } count ? count.GetInt64() : null;
    }
}

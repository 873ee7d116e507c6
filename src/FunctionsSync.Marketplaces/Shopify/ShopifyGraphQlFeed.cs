using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
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

        var nested = type == EntityType.Orders ? "lineItems" : "variants";
        var currency = ShopifySettings.Of(connection).Currency;
        var (records, rejected) = RecordMapper.Map(
            nodes,
            what,
            node => ShopifyGraphQlMapper.Map(type, node, type == EntityType.Customers ? [] : ShopifyGraphQlMapper.Nested(node, nested), currency),
            node => RecordMapper.Safe(() => ShopifyGraphQlMapper.NumericId(node)),
            node => node.OptDate("updatedAt"),
            node => !ReadBefore(node, token));

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

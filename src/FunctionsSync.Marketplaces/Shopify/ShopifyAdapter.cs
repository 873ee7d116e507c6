using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Shopify, by the API a connection speaks (<c>settings.api</c>): <c>graphql</c> (the default) reads full syncs through
/// a bulk query per feed (<see cref="ShopifyBulkFeed"/>) and incremental ones with paged queries
/// (<see cref="ShopifyGraphQlFeed"/>), paced by the shop's cost points; <c>rest</c> the legacy REST Admin API (<see cref="ShopifyRestApi"/>).
/// </summary>
public sealed class ShopifyAdapter(ShopifyRestApi rest, ShopifyGraphQlFeed paged, ShopifyBulkFeed bulk, ShopifyDeletionEvents deletions) : IMarketplaceAdapter, IDeletionSignals
{
    public string Marketplace => MarketplaceNames.Shopify;

    public ConnectionRequirements Requirements => ShopifySettings.Requirements;

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType>(EntityTypes.All);

    /// <summary>
    /// A full sync lists every product (with its variants, so its prices) and customer. Not orders: "only the last 60
    /// days' worth of orders from a store are accessible from the Order object by default" (the Admin schema's
    /// <c>Order</c>, contracts/shopify/admin_2026-04.json.gz) without <c>read_all_orders</c>, so an older order missing
    /// from a full read says nothing.
    /// </summary>
    public IReadOnlySet<EntityType> FullReadListsAll { get; } = new HashSet<EntityType> { EntityType.Customers, EntityType.Products, EntityType.Prices };

    /// <summary>Every feed: an incremental run reads the deletions Shopify lists (<see cref="ShopifyDeletionEvents"/>), whatever API the feed speaks.</summary>
    public IReadOnlySet<EntityType> DeletionSignals => ShopifyDeletionEvents.Feeds;

    public Task<DeletionPage> FetchDeletionsAsync(Connection connection, EntityType type, DateTimeOffset since, string? pageToken, CancellationToken cancellationToken) =>
        deletions.FetchAsync(connection, type, since, pageToken, cancellationToken);

    /// <summary>
    /// Orders, products with their prices, customers: by GraphQL whatever API the connection's feeds speak (its access
    /// token serves both), <see cref="ShopifyGraphQlFeed.FetchByIdsAsync"/>.
    /// </summary>
    public IReadOnlySet<EntityType> FetchesByIds => SupportedEntityTypes;

    public Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        if (request.Ids is { } ids)
        {
            return paged.FetchByIdsAsync(connection, request.EntityType, ids, request.PageToken, request.PageSize, cancellationToken);
        }

        var settings = ShopifySettings.Of(connection);
        if (settings.Api == ShopifyApi.Rest && !ShopifyBulkToken.IsOne(request.PageToken) && !ShopifyPageToken.IsOne(request.PageToken))
        {
            return rest.FetchPageAsync(connection, request, cancellationToken);
        }

        // A run keeps the API its feed started with (a token says which), whatever the connection was switched to since.
        if (ShopifyBulkToken.IsOne(request.PageToken) || (request.PageToken is null && request.Since is null && settings.ReadsWholeFeedsByBulk))
        {
            return bulk.FetchAsync(connection, request, cancellationToken);
        }

        if (request.PageToken is not null && !ShopifyPageToken.IsOne(request.PageToken))
        {
            // A REST page_info token of a run begun before the switch to GraphQL.
            return rest.FetchPageAsync(connection, request, cancellationToken);
        }

        return paged.FetchAsync(connection, request.EntityType, request.Since, request.PageToken, request.PageSize, cancellationToken);
    }
}

using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.OAuth;

/// <summary>
/// An adapter whose marketplace expires access tokens: each page is read with a valid one (<see cref="AccessTokens"/>),
/// and once more with a refreshed one when the marketplace refused it, before the run gives up. A connection without
/// a refresh token (a custom Shopify app's token) is read as it is. The inner adapter's deletion list
/// (<see cref="IDeletionSignals"/>) is read the same way.
/// </summary>
public sealed class TokenRefreshingAdapter(IMarketplaceAdapter inner, AccessTokens tokens) : IMarketplaceAdapter, IDeletionSignals
{
    public string Marketplace => inner.Marketplace;

    public IReadOnlySet<EntityType> SupportedEntityTypes => inner.SupportedEntityTypes;

    public ConnectionRequirements Requirements => inner.Requirements;

    public IReadOnlySet<EntityType> FullReadListsAll => inner.FullReadListsAll;

    public IReadOnlySet<EntityType> FetchesByIds => inner.FetchesByIds;

    public IReadOnlySet<EntityType> DeletionSignals => inner is IDeletionSignals signals ? signals.DeletionSignals : new HashSet<EntityType>();

    public Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken) =>
        WithTokenAsync(connection, current => inner.FetchPageAsync(current, request, cancellationToken), cancellationToken);

    public Task<DeletionPage> FetchDeletionsAsync(Connection connection, EntityType type, DateTimeOffset since, string? pageToken, CancellationToken cancellationToken) =>
        inner is IDeletionSignals signals
            ? WithTokenAsync(connection, current => signals.FetchDeletionsAsync(current, type, since, pageToken, cancellationToken), cancellationToken)
            : Task.FromResult(new DeletionPage([], null));

    private async Task<T> WithTokenAsync<T>(Connection connection, Func<Connection, Task<T>> read, CancellationToken cancellationToken)
    {
        var current = await tokens.CurrentAsync(connection, null, cancellationToken);
        try
        {
            return await read(current);
        }
        catch (MarketplaceException ex) when (ex.Kind == MarketplaceErrorKind.Auth && OAuthTokenState.From(current) is { AccessToken: { } refused })
        {
            // Revoked early, or expired sooner than it said: one refresh, then the request once more.
            var renewed = await tokens.CurrentAsync(connection, refused, cancellationToken);
            return await read(renewed);
        }
    }
}

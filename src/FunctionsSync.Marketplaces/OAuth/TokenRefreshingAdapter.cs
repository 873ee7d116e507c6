using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.OAuth;

/// <summary>
/// An adapter whose marketplace expires access tokens: each page is read with a valid one (<see cref="AccessTokens"/>),
/// and once more with a refreshed one when the marketplace refused it, before the run gives up. A connection without
/// a refresh token (a custom Shopify app's token) is read as it is.
/// </summary>
public sealed class TokenRefreshingAdapter(IMarketplaceAdapter inner, AccessTokens tokens) : IMarketplaceAdapter
{
    public string Marketplace => inner.Marketplace;

    public IReadOnlySet<EntityType> SupportedEntityTypes => inner.SupportedEntityTypes;

    public ConnectionRequirements Requirements => inner.Requirements;

    public IReadOnlySet<EntityType> FullReadListsAll => inner.FullReadListsAll;

    public async Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        var current = await tokens.CurrentAsync(connection, null, cancellationToken);
        try
        {
            return await inner.FetchPageAsync(current, request, cancellationToken);
        }
        catch (MarketplaceException ex) when (ex.Kind == MarketplaceErrorKind.Auth && OAuthTokenState.From(current) is { AccessToken: { } refused })
        {
            // Revoked early, or expired sooner than it said: one refresh, then the page once more.
            var renewed = await tokens.CurrentAsync(connection, refused, cancellationToken);
            return await inner.FetchPageAsync(renewed, request, cancellationToken);
        }
    }
}

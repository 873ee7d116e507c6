using System.Globalization;

namespace FunctionsSync.Core.Connections;

/// <summary>
/// What each marketplace's adapter needs of a connection, checked at registration and on PATCH so a connection that
/// cannot sync is refused with the reason instead of failing its first run: the credential keys it sends, non-empty,
/// and the numeric settings the sync reads, in range. Settings are strings (a connection's settings map); a number
/// must parse as an invariant-culture number.
/// </summary>
public static class MarketplaceRequirements
{
    private static readonly IReadOnlyDictionary<string, string[]> CredentialKeys = new Dictionary<string, string[]>
    {
        [MarketplaceNames.Shopify] = ["accessToken"],
        [MarketplaceNames.WooCommerce] = ["consumerKey", "consumerSecret"],
        [MarketplaceNames.Etsy] = ["apiKey", "accessToken"],
        [MarketplaceNames.Amazon] = ["accessToken"],
    };

    /// <summary>Numeric settings: name → inclusive range (the sync clamps page sizes to its own maximum).</summary>
    private static readonly IReadOnlyDictionary<string, (double Min, double Max)> NumericSettings = new Dictionary<string, (double, double)>
    {
        ["batchSize"] = (1, 1000),
        ["pageSize"] = (1, 1000),
        ["rateLimitPerSecond"] = (0.01, 1000),
        ["rateLimitCapacity"] = (1, 10_000),
        // Amazon full syncs: the days of history one order report covers.
        ["reportWindowDays"] = (0.001, 3650),
    };

    /// <summary>Settings with a fixed set of values: (marketplace, name) → the values.</summary>
    private static readonly IReadOnlyDictionary<(string Marketplace, string Name), string[]> ChoiceSettings = new Dictionary<(string, string), string[]>
    {
        // Amazon: a full sync from order reports (default) or from getOrders pages.
        [(MarketplaceNames.Amazon, "fullSync")] = ["report", "orders"],
        // Amazon: the Orders API of incremental reads: 2026-01-01 searchOrders (default) or the deprecated v0 getOrders.
        [(MarketplaceNames.Amazon, "ordersApi")] = ["2026-01-01", "v0"],
        // Amazon: orders read by v0 getOrders carry their items (getOrderItems, one call per order) unless this is false.
        [(MarketplaceNames.Amazon, "orderItems")] = ["true", "false"],
        // Shopify: GraphQL (default) or the legacy REST API; a GraphQL full sync through bulk queries (default) or pages.
        [(MarketplaceNames.Shopify, "api")] = ["graphql", "rest"],
        [(MarketplaceNames.Shopify, "fullSync")] = ["bulk", "paged"],
    };

    /// <summary>Settings that are instants (ISO 8601), e.g. Amazon's <c>historyStart</c>: where a full sync's history begins.</summary>
    private static readonly string[] DateSettings = ["historyStart"];

    public static IReadOnlyList<string> RequiredCredentials(string marketplace) => CredentialKeys.GetValueOrDefault(marketplace) ?? [];

    /// <summary>Marketplaces whose access tokens expire and are refreshed with a refresh token (Amazon LWA, Etsy, Shopify's expiring offline tokens).</summary>
    public static bool RefreshesTokens(string marketplace) => marketplace is MarketplaceNames.Amazon or MarketplaceNames.Etsy or MarketplaceNames.Shopify;

    public static IEnumerable<(string Field, string[] Message)> Validate(string marketplace, IReadOnlyDictionary<string, string>? credentials, IReadOnlyDictionary<string, string>? settings)
    {
        if (credentials is not null)
        {
            // Where access tokens expire, a refresh token stands for the access token: the service obtains one from it.
            var refreshes = RefreshesTokens(marketplace) && !string.IsNullOrWhiteSpace(credentials.GetValueOrDefault(OAuthTokenState.RefreshTokenKey));
            foreach (var key in RequiredCredentials(marketplace).Where(k => string.IsNullOrWhiteSpace(credentials.GetValueOrDefault(k)) && !(refreshes && k == OAuthTokenState.AccessTokenKey)))
            {
                yield return ($"credentials.{key}", [$"Required for {marketplace}: {string.Join(", ", RequiredCredentials(marketplace))}."]);
            }
        }

        foreach (var (name, (min, max)) in NumericSettings)
        {
            if (settings?.GetValueOrDefault(name) is { } raw
                && !(double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max))
            {
                yield return ($"settings.{name}", [$"A number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}."]);
            }
        }

        foreach (var ((owner, name), values) in ChoiceSettings)
        {
            if (owner != marketplace)
            {
                continue;
            }

            if (settings?.GetValueOrDefault(name) is { } raw && !values.Contains(raw, StringComparer.Ordinal))
            {
                yield return ($"settings.{name}", [$"One of: {string.Join(", ", values)}."]);
            }
        }

        foreach (var name in DateSettings)
        {
            if (settings?.GetValueOrDefault(name) is { } raw && !DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                yield return ($"settings.{name}", ["An ISO 8601 instant, e.g. 2024-01-01T00:00:00Z."]);
            }
        }
    }
}

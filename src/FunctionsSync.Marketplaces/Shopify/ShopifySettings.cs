using System.Text.RegularExpressions;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>The Admin API a Shopify connection speaks.</summary>
public enum ShopifyApi
{
    /// <summary>GraphQL, paced by the shop's cost points.</summary>
    GraphQl,

    /// <summary>The legacy REST Admin API.</summary>
    Rest,
}

/// <summary>How a GraphQL full sync reads a shop.</summary>
public enum ShopifyFullSync
{
    /// <summary>One bulk query per feed (<see cref="ShopifyBulkFeed"/>).</summary>
    Bulk,

    /// <summary>Paged queries, as an incremental sync reads them.</summary>
    Paged,
}

/// <summary>
/// A Shopify connection's settings, each parsed by the one definition registration checks it with
/// (<see cref="Definitions"/>), so a value is accepted exactly when the sync can read it.
/// </summary>
/// <param name="ApiVersion">The Admin API version its calls name; null: <c>Marketplaces:Shopify:ApiVersion</c>.</param>
public sealed partial record ShopifySettings(ShopifyApi Api, ShopifyFullSync FullSync, string? ApiVersion, string Currency)
{
    public static ShopifySettings Of(Connection connection) => new(
        Definitions.Api.Of(connection),
        Definitions.FullSync.Of(connection),
        Definitions.ApiVersion.Of(connection),
        CommonSettings.Currency.Of(connection)!);

    /// <summary>Whether a feed read whole (a full sync's) is read through a bulk query: GraphQL feeds with <c>fullSync</c> <c>bulk</c>.</summary>
    public bool ReadsWholeFeedsByBulk => Api != ShopifyApi.Rest && FullSync == ShopifyFullSync.Bulk;

    /// <summary>
    /// An Admin API access token, or a refresh token where the app's offline tokens expire
    /// (<c>shopify/docs/offline-access-tokens-expiring-refresh.excerpts.md</c>); pages of at most 250, the limit of GraphQL's <c>first</c> and REST's
    /// <c>limit</c> (a bulk file is cut into pages of the same size).
    /// </summary>
    public static ConnectionRequirements Requirements { get; } = new()
    {
        Credentials = ["accessToken"],
        RefreshesTokens = true,
        PageSize = CommonSettings.PageSize(ShopifyRestApi.MaxPageSize),
        Settings = [Definitions.Api, Definitions.FullSync, Definitions.ApiVersion, CommonSettings.Currency],
    };

    public static class Definitions
    {
        public static ChoiceSetting<ShopifyApi> Api { get; } =
            new("api", new Dictionary<string, ShopifyApi> { ["graphql"] = ShopifyApi.GraphQl, ["rest"] = ShopifyApi.Rest }, ShopifyApi.GraphQl);

        public static ChoiceSetting<ShopifyFullSync> FullSync { get; } =
            new("fullSync", new Dictionary<string, ShopifyFullSync> { ["bulk"] = ShopifyFullSync.Bulk, ["paged"] = ShopifyFullSync.Paged }, ShopifyFullSync.Bulk);

        /// <summary>A stable version (<c>YYYY-MM</c>, as in the URL <c>/admin/api/2026-01/graphql.json</c>) or <c>unstable</c>.</summary>
        public static TextSetting ApiVersion { get; } = new("apiVersion", "An Admin API version, e.g. 2026-01, or unstable.", VersionPattern());
    }

    [GeneratedRegex(@"\A(\d{4}-(0[1-9]|1[0-2])|unstable)\z")]
    private static partial Regex VersionPattern();
}

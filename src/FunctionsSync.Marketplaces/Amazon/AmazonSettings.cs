using System.Text.RegularExpressions;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>Where an Amazon full sync reads the seller's history.</summary>
public enum AmazonFullSync
{
    /// <summary>Order reports, a window of history each (<see cref="AmazonOrderHistory"/>).</summary>
    Report,

    /// <summary>Order pages, as an incremental sync reads them.</summary>
    Orders,
}

/// <summary>The Orders API version incremental syncs read with.</summary>
public enum AmazonOrdersVersion
{
    /// <summary>Orders 2026-01-01 <c>searchOrders</c> (<c>amazon/orders_2026-01-01.json</c>).</summary>
    SearchOrders,

    /// <summary>Orders v0 <c>getOrders</c> and <c>getOrderItems</c>, deprecated (migration deadline 2027-03-27).</summary>
    V0,
}

/// <summary>
/// An Amazon connection's settings, each parsed by the one definition registration checks it with
/// (<see cref="Definitions"/>), so a value is accepted exactly when the sync can read it.
/// </summary>
public sealed partial record AmazonSettings(
    AmazonFullSync FullSync,
    AmazonOrdersVersion OrdersApi,
    bool OrderItems,
    DateTimeOffset? HistoryStart,
    double ReportWindowDays,
    string MarketplaceId)
{
    public const double DefaultWindowDays = 30;

    /// <summary>The US marketplace, where a connection names none.</summary>
    public const string DefaultMarketplaceId = "ATVPDKIKX0DER";

    public static AmazonSettings Of(Connection connection) => new(
        Definitions.FullSync.Of(connection),
        Definitions.OrdersApi.Of(connection),
        Definitions.OrderItems.Of(connection),
        Definitions.HistoryStart.Of(connection),
        Definitions.ReportWindowDays.Of(connection) ?? DefaultWindowDays,
        Definitions.MarketplaceId.Of(connection)!);

    /// <summary>
    /// An LWA access token, or a refresh token to obtain one (<c>amazon/lwa-token-refresh.excerpts.md</c>); pages of at most
    /// 100 orders, the <c>maxResultsPerPage</c> limit of both Orders APIs.
    /// </summary>
    public static ConnectionRequirements Requirements { get; } = new()
    {
        Credentials = ["accessToken"],
        RefreshesTokens = true,
        PageSize = CommonSettings.PageSize(AmazonOrdersApi.MaxPageSize),
        Settings = [Definitions.FullSync, Definitions.OrdersApi, Definitions.OrderItems, Definitions.HistoryStart, Definitions.ReportWindowDays, Definitions.MarketplaceId],
    };

    public static class Definitions
    {
        public static ChoiceSetting<AmazonFullSync> FullSync { get; } =
            new("fullSync", new Dictionary<string, AmazonFullSync> { ["report"] = AmazonFullSync.Report, ["orders"] = AmazonFullSync.Orders }, AmazonFullSync.Report);

        public static ChoiceSetting<AmazonOrdersVersion> OrdersApi { get; } =
            new("ordersApi", new Dictionary<string, AmazonOrdersVersion> { [AmazonSearchOrdersApi.Version] = AmazonOrdersVersion.SearchOrders, ["v0"] = AmazonOrdersVersion.V0 }, AmazonOrdersVersion.SearchOrders);

        /// <summary>Whether orders read by v0 <c>getOrders</c> carry their items (one <c>getOrderItems</c> call per order).</summary>
        public static ChoiceSetting<bool> OrderItems { get; } =
            new("orderItems", new Dictionary<string, bool> { ["true"] = true, ["false"] = false }, true);

        /// <summary>Where a full sync's history begins; absent, three years before the sync.</summary>
        public static InstantSetting HistoryStart { get; } = new("historyStart");

        /// <summary>The days of history one order report covers.</summary>
        public static NumberSetting ReportWindowDays { get; } = new("reportWindowDays", 0.001, 3650);

        /// <summary>An Amazon marketplace id (e.g. <c>A1PA6795UKMFR9</c>, Germany), the <c>marketplaceIds</c> of every query.</summary>
        public static TextSetting MarketplaceId { get; } =
            new("marketplaceId", "An Amazon marketplace id, e.g. ATVPDKIKX0DER.", MarketplaceIdPattern(), DefaultMarketplaceId);
    }

    [GeneratedRegex(@"\A[A-Z0-9]{8,20}\z")]
    private static partial Regex MarketplaceIdPattern();
}

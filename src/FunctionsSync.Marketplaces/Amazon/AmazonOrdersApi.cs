using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// The Orders API a connection reads incremental pages with: <c>2026-01-01</c> <c>searchOrders</c> by default
/// (<see cref="AmazonSearchOrdersApi"/>), or the deprecated v0 <c>getOrders</c> with <c>getOrderItems</c>
/// (<see cref="AmazonOrdersV0Api"/>) where <c>settings.ordersApi</c> is <c>v0</c>, until Amazon removes it
/// (migration deadline 2027-03-27). Both answer the same canonical orders.
/// </summary>
public sealed class AmazonOrdersApi(AmazonSearchOrdersApi search, AmazonOrdersV0Api v0)
{
    public const int MaxPageSize = 100;

    public Task<FetchPage> PageAsync(Connection connection, DateTimeOffset after, DateTimeOffset? before, string? nextToken, int pageSize, CancellationToken cancellationToken) =>
        AmazonSettings.Of(connection).OrdersApi == AmazonOrdersVersion.V0
            ? v0.PageAsync(connection, after, before, nextToken, pageSize, cancellationToken)
            : search.PageAsync(connection, after, before, nextToken, pageSize, cancellationToken);

    /// <summary>Named orders, by 2026-01-01 getOrder whatever the connection pages with (<see cref="AmazonSearchOrdersApi.ByIdsAsync"/>).</summary>
    public Task<FetchPage> ByIdsAsync(Connection connection, IReadOnlyList<string> ids, string? pageToken, CancellationToken cancellationToken) =>
        search.ByIdsAsync(connection, ids, pageToken, cancellationToken);

    /// <summary>The sustained rate Amazon states for the operation on every answer (<c>x-amzn-RateLimit-Limit</c>).</summary>
    public static RateLimitInfo? RateLimitOf(MarketplaceResponse response) =>
        double.TryParse(response.Header("x-amzn-RateLimit-Limit"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate)
            ? new RateLimitInfo(null, null, rate, null)
            : null;

    public static string BaseUrl(Connection connection) => AdapterSupport.BaseUrl(connection, "https://sellingpartnerapi-na.amazon.com");

    public static Action<HttpRequestMessage> Authorize(Connection connection)
    {
        var accessToken = AdapterSupport.Credential(connection, "accessToken");
        return r => r.Headers.Add("x-amz-access-token", accessToken);
    }
}

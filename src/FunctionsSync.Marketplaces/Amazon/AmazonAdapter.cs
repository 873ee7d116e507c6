using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// Amazon SP-API, orders only. A full sync reads the seller's history from order reports (<see cref="AmazonOrderHistory"/>,
/// Reports 2021-06-30; <c>settings.fullSync: "orders"</c> reads it with order pages instead); an incremental sync reads
/// what changed with Orders 2026-01-01 searchOrders, or v0 getOrders where the connection asks (<see cref="AmazonOrdersApi"/>).
/// </summary>
public sealed class AmazonAdapter(AmazonOrdersApi orders, AmazonOrderHistory history) : IMarketplaceAdapter
{
    public string Marketplace => MarketplaceNames.Amazon;

    public ConnectionRequirements Requirements => AmazonSettings.Requirements;

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType> { EntityType.Orders };

    /// <summary>A notified order is read by getOrder (<see cref="AmazonSearchOrdersApi.ByIdsAsync"/>).</summary>
    public IReadOnlySet<EntityType> FetchesByIds => SupportedEntityTypes;

    public Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        if (request.EntityType != EntityType.Orders)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadRequest, $"amazon: {request.EntityType.ToWire()} are not read through the Orders API");
        }

        if (request.Ids is { } ids)
        {
            return orders.ByIdsAsync(connection, ids, request.PageToken, cancellationToken);
        }

        if (AmazonReportToken.IsOne(request.PageToken) || (request.PageToken is null && request.Since is null && AmazonSettings.Of(connection).FullSync == AmazonFullSync.Report))
        {
            return history.FetchAsync(connection, request, cancellationToken);
        }

        return orders.PageAsync(connection, request.Since ?? DateTimeOffset.UnixEpoch, null, request.PageToken, request.PageSize, cancellationToken);
    }
}

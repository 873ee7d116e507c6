using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Odoo;

/// <summary>
/// Odoo, the ERP, as a source: customers (<c>res.partner</c>), products with their stock (<c>product.product</c>),
/// prices (each variant's list price, then the pricelists' fixed prices per variant, <c>product.pricelist.item</c>) and
/// orders with their lines (<c>sale.order</c>, <c>sale.order.line</c>), read with <c>search_read</c> by keyset
/// (<see cref="OdooFeed"/>) over the JSON-2 API or, for Odoo before 19, JSON-RPC <c>execute_kw</c>
/// (<see cref="OdooClient"/>, setting <c>api</c>). No rate limit is documented: requests are paced by
/// <c>Marketplaces:RateLimits:odoo</c> (else the default shape) so a sync does not crowd out the ERP's own users.
/// </summary>
public sealed class OdooAdapter(OdooFeed feed) : IMarketplaceAdapter
{
    public string Marketplace => MarketplaceNames.Odoo;

    public ConnectionRequirements Requirements => OdooSettings.Requirements;

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType>(EntityTypes.All);

    /// <summary>A full read lists every record of each model, archived ones included: a record missing from it was deleted.</summary>
    public IReadOnlySet<EntityType> FullReadListsAll => SupportedEntityTypes;

    public Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken) =>
        feed.FetchAsync(connection, request, cancellationToken);
}

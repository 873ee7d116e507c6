using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Adapters;

/// <summary>Reads one marketplace's data page by page, mapped to canonical records.</summary>
public interface IMarketplaceAdapter
{
    /// <summary>The marketplace's wire name, e.g. <c>shopify</c>.</summary>
    string Marketplace { get; }

    /// <summary>Entity types this marketplace can deliver; the syncer skips the rest.</summary>
    IReadOnlySet<EntityType> SupportedEntityTypes { get; }

    /// <summary>The credentials and settings a connection of this marketplace must carry, each setting with its rule and its parse.</summary>
    ConnectionRequirements Requirements { get; }

    /// <summary>
    /// Entity types whose full read lists every record the marketplace holds (no retention window, no state left out),
    /// so a stored record that a complete full read did not list was deleted there: full runs reconcile these
    /// (<see cref="Deletions.IRecordReconciliation"/>). None unless an adapter says so.
    /// </summary>
    IReadOnlySet<EntityType> FullReadListsAll => EmptyTypes;

    /// <summary>
    /// Entity types whose records the adapter reads by id (<see cref="FetchRequest.Ids"/>), so a change notification
    /// re-reads just the records it names rather than the feed since its mark. None unless an adapter says so.
    /// </summary>
    IReadOnlySet<EntityType> FetchesByIds => EmptyTypes;

    private static readonly IReadOnlySet<EntityType> EmptyTypes = new HashSet<EntityType>();

    /// <summary>
    /// Fetches one page. The first page of a feed has no <see cref="FetchRequest.PageToken"/>; the next one is
    /// asked for with the token the previous page returned. A null <see cref="FetchPage.NextPageToken"/> ends the feed.
    /// </summary>
    /// <exception cref="MarketplaceException">The marketplace refused or answered something unusable.</exception>
    Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken);
}

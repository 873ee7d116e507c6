using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Adapters;

/// <summary>
/// An adapter whose marketplace states deletions itself (Shopify's <c>events</c> with <c>action:destroy</c>): an
/// incremental run reads them for its feeds after reading the feeds, so a deleted record becomes a tombstone at the
/// next sync rather than at the next full one (<see cref="IMarketplaceAdapter.FullReadListsAll"/>).
/// </summary>
public interface IDeletionSignals
{
    /// <summary>The feeds whose deletions the marketplace lists.</summary>
    IReadOnlySet<EntityType> DeletionSignals { get; }

    /// <summary>One page of the ids of <paramref name="type"/> records deleted at or after <paramref name="since"/>.</summary>
    Task<DeletionPage> FetchDeletionsAsync(Connection connection, EntityType type, DateTimeOffset since, string? pageToken, CancellationToken cancellationToken);
}

/// <param name="ExternalIds">The deleted records' ids, as the feed's records carry them.</param>
/// <param name="NextPageToken">Null on the last page.</param>
public sealed record DeletionPage(IReadOnlyList<string> ExternalIds, string? NextPageToken);

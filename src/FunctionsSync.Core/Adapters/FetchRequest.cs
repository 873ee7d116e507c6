using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Adapters;

/// <param name="EntityType">What to read.</param>
/// <param name="Since">Only records changed at or after this instant; null reads everything (full sync).</param>
/// <param name="PageToken">Opaque token from the previous page; self-contained, so a resumed run needs nothing else.</param>
/// <param name="PageSize">Wanted page size; adapters clamp it to the marketplace's maximum.</param>
/// <param name="Until">Only records changed at or before this instant (a backfill's end); null: up to now. An adapter
/// passes it on where the marketplace has such a filter; the syncer keeps only records within it either way.</param>
/// <param name="Ids">Read just these records (a notified run's targets, <see cref="IMarketplaceAdapter.FetchesByIds"/>),
/// page by page as the marketplace allows; <paramref name="Since"/> and <paramref name="Until"/> do not apply. A record
/// the marketplace no longer holds is simply left out (deletions have their own signals).</param>
public sealed record FetchRequest(EntityType EntityType, DateTimeOffset? Since, string? PageToken, int PageSize, DateTimeOffset? Until = null, IReadOnlyList<string>? Ids = null)
{
    /// <summary>
    /// The run this read is part of and the feeds it reads after this one, so an adapter may prepare those meanwhile
    /// (Shopify starts their bulk queries while this feed is read). A hint: nothing depends on it being used.
    /// </summary>
    public FeedLookahead? Lookahead { get; init; }
}

/// <param name="RunId">The run reading the feeds: what an adapter prepares for one run is used by that run only.</param>
/// <param name="Upcoming">The run's feeds still to read after this one, in the order it reads them.</param>
public sealed record FeedLookahead(string RunId, IReadOnlyList<EntityType> Upcoming);

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
public sealed record FetchRequest(EntityType EntityType, DateTimeOffset? Since, string? PageToken, int PageSize, DateTimeOffset? Until = null, IReadOnlyList<string>? Ids = null);

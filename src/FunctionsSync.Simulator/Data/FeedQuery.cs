namespace FunctionsSync.Simulator.Data;

/// <summary>A window of a feed ordered by (updated time, id).</summary>
/// <param name="Min">Lower time bound.</param>
/// <param name="MinExclusive">Whether records at exactly <paramref name="Min"/> are excluded.</param>
/// <param name="Max">Upper time bound, inclusive.</param>
/// <param name="AfterTicks">Keyset position: only records after (AfterTicks, AfterIndex).</param>
/// <param name="Ids">Only the records with these ids (Shopify's <c>id:</c> search terms, WooCommerce's <c>include</c>); null: any.</param>
public sealed record FeedQuery(DateTimeOffset? Min, bool MinExclusive, DateTimeOffset? Max, long? AfterTicks = null, int AfterIndex = -1, IReadOnlyList<long>? Ids = null);

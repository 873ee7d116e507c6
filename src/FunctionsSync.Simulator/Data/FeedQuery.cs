namespace FunctionsSync.Simulator.Data;

/// <summary>A window of a feed ordered by (updated time, id).</summary>
/// <param name="Min">Lower time bound.</param>
/// <param name="MinExclusive">Whether records at exactly <paramref name="Min"/> are excluded.</param>
/// <param name="Max">Upper time bound, inclusive.</param>
/// <param name="AfterTicks">Keyset position: only records after (AfterTicks, AfterIndex).</param>
public sealed record FeedQuery(DateTimeOffset? Min, bool MinExclusive, DateTimeOffset? Max, long? AfterTicks = null, int AfterIndex = -1);

using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Runs;

/// <summary>
/// What a notified run reads of one feed: the records a change notification named (<see cref="Ids"/>, as the
/// marketplace's filter takes them: a product's id for its prices too), or, with <see cref="Ids"/> null, the whole feed
/// since its mark (the notification named no record, or more than a targeted read takes).
/// </summary>
public sealed record RunTarget(EntityType EntityType, IReadOnlyList<string>? Ids)
{
    /// <summary>
    /// <paramref name="current"/> and <paramref name="added"/> as one set of feeds, as notifications coalesce: the ids of
    /// a feed united, a feed read whole once either side reads it whole or the ids pass <paramref name="maxIds"/>.
    /// </summary>
    public static IReadOnlyList<RunTarget> Merge(IReadOnlyList<RunTarget> current, IReadOnlyList<RunTarget> added, int maxIds) =>
        [.. current.Concat(added).GroupBy(t => t.EntityType).OrderBy(g => g.Key).Select(g =>
        {
            if (g.Any(t => t.Ids is null))
            {
                return new RunTarget(g.Key, null);
            }

            var ids = g.SelectMany(t => t.Ids!).Distinct(StringComparer.Ordinal).ToList();
            return new RunTarget(g.Key, ids.Count > maxIds ? null : ids);
        })];
}

using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Runs;

/// <param name="Expected">What the marketplace counted in the feeds read, where the adapter checks against a count.</param>
/// <param name="Missing">Records it counted that the feeds ended without (the run is then partial).</param>
/// <param name="Deleted">Stored records a full run found deleted at the marketplace (now tombstones).</param>
public sealed record CountersView(long Total, long Processed, long Created, long Updated, long Unchanged, long Failed, long Skipped, long Pending, long? Expected, long Missing, long Deleted)
{
    public static CountersView From(RunCounters c) => new(c.Total, c.Processed, c.Created, c.Updated, c.Unchanged, c.Failed, c.Skipped, c.Pending, c.Expected, c.Missing, c.Deleted);
}

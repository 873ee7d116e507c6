using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Runs;

public sealed record CountersView(long Total, long Processed, long Created, long Updated, long Unchanged, long Failed, long Skipped, long Pending)
{
    public static CountersView From(RunCounters c) => new(c.Total, c.Processed, c.Created, c.Updated, c.Unchanged, c.Failed, c.Skipped, c.Pending);
}

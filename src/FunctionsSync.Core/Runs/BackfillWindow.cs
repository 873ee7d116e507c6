namespace FunctionsSync.Core.Runs;

/// <summary>The change times a backfill reads again: from <see cref="From"/> to <see cref="To"/>, both included.</summary>
public sealed record BackfillWindow(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset changedAt) => changedAt >= From && changedAt <= To;
}

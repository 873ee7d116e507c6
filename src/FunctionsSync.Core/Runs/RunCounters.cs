namespace FunctionsSync.Core.Runs;

/// <summary>
/// Record counts of a run or of one entity type in it. <c>processed = created + updated + unchanged + failed</c>
/// and <c>total = processed + skipped + pending</c> always hold.
/// </summary>
public sealed record RunCounters
{
    public static RunCounters Zero { get; } = new();

    public long Created { get; init; }
    public long Updated { get; init; }
    public long Unchanged { get; init; }
    public long Failed { get; init; }
    public long Skipped { get; init; }

    /// <summary>What the marketplace reported as matching, where it did; otherwise what has been seen.</summary>
    public long? ReportedTotal { get; init; }

    /// <summary>What the marketplace counted in the feeds read, where an adapter checks its reading against such a count.</summary>
    public long? Expected { get; init; }

    /// <summary>Records the marketplace counted that the feeds ended without: the run is partial and does not pass them.</summary>
    public long Missing { get; init; }

    /// <summary>Stored records a full run found deleted at the marketplace and tombstoned (not part of <see cref="Processed"/>).</summary>
    public long Deleted { get; init; }

    public long Processed => Created + Updated + Unchanged + Failed;
    public long Total => Math.Max(ReportedTotal ?? 0, Processed + Skipped);
    public long Pending => Total - Processed - Skipped;

    public RunCounters Add(RunCounters other) => new()
    {
        Created = Created + other.Created,
        Updated = Updated + other.Updated,
        Unchanged = Unchanged + other.Unchanged,
        Failed = Failed + other.Failed,
        Skipped = Skipped + other.Skipped,
        ReportedTotal = ReportedTotal is null && other.ReportedTotal is null ? null : (ReportedTotal ?? 0) + (other.ReportedTotal ?? 0),
        Expected = Expected is null && other.Expected is null ? null : (Expected ?? 0) + (other.Expected ?? 0),
        Missing = Missing + other.Missing,
        Deleted = Deleted + other.Deleted,
    };
}

using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Retention;

/// <summary>Bound from configuration section <c>Retention</c>: how much history is kept.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Runs kept per connection, newest first (the active run is always kept).</summary>
    [Range(1, 100_000)]
    public int RunsPerConnection { get; set; } = 200;

    /// <summary>Runs, settled receipts, finished webhook deliveries and activity entries older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long a tombstone (a record deleted at the marketplace) stays listable with <c>includeDeleted=true</c> before
    /// its row is deleted. A record listed again after that is stored as new.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan TombstoneMaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the pass runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Connections one pass looks at; the next pass carries on after the last one (all connections are covered in turn).</summary>
    [Range(1, 10_000)]
    public int ConnectionsPerPass { get; set; } = 200;

    /// <summary>Settled receipts, finished deliveries and expired tombstones one pass deletes at most (each).</summary>
    [Range(1, 100_000)]
    public int ItemsPerPass { get; set; } = 1_000;
}

using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Sync;

/// <summary>How the syncer pages, leases and overlaps. Bound from configuration section <c>Sync</c>.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>
    /// Records asked for per marketplace request where a connection names no <c>pageSize</c>; adapters clamp it to the
    /// marketplace's maximum. A connection's own <c>pageSize</c> is checked against that maximum when it is set.
    /// </summary>
    [Range(1, 250)]
    public int PageSize { get; set; } = 50;

    /// <summary>
    /// Marketplace pages are gathered into one write (ingested, then checkpointed) until it holds this many records or
    /// the feed ends. Stored records are spread over buckets (<c>Storage:RecordBuckets</c>, 8), so a write of
    /// buckets × 100 records fills each bucket's 100-row transaction where a single page of 200 would send eight
    /// quarter-full ones. 1 writes every page on its own.
    /// </summary>
    [Range(1, 5_000)]
    public int MinRecordsPerWrite { get; set; } = 800;

    /// <summary>Consecutive failed runs after which a connection is flagged with a warning.</summary>
    [Range(1, 1000)]
    public int FailureWarningThreshold { get; set; } = 20;

    /// <summary>Consecutive failed runs after which a connection is disabled (and flagged).</summary>
    [Range(1, 1000)]
    public int FailureDisableThreshold { get; set; } = 30;

    /// <summary>How often a running run looks for a pause or cancel request (between pages).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ControlCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a lease lasts without renewal; every page renews it. A crashed runner's work resumes after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Incremental runs re-read this much before the cursor, for marketplace clock skew and late commits.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan OverlapWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a run whose storage became unreachable waits for it (probing with back-off) before handing the run back
    /// to its caller as last checkpointed. Within it the run is marked interrupted as soon as storage answers and
    /// resumed at once; past it, once its lease expires.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StorageOutageWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a backfill that stepped aside for a run on its connection's main lane (a backfill has the lower
    /// priority: it never competes with the schedule for the marketplace's rate limit) waits before it looks again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan BackfillYieldDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Per-record failure reasons kept on a run.</summary>
    [Range(0, 200)]
    public int MaxRecordErrors { get; set; } = 20;
}

using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Orchestration;

/// <summary>Bound from configuration section <c>Orchestration</c> (the Functions app).</summary>
public sealed class OrchestrationOptions
{
    public const string SectionName = "Orchestration";

    /// <summary>ConnectionSync sub-orchestrations in flight per cycle, all organizations together.</summary>
    [Range(1, 1000)]
    public int GlobalConcurrency { get; set; } = 50;

    /// <summary>
    /// CycleLane orchestrations a cycle splits its runs into (an organization's runs share one lane). Each lane runs
    /// its share of <see cref="GlobalConcurrency"/>; a lane waiting on a long run at the end of a generation holds only its share.
    /// </summary>
    [Range(1, 100)]
    public int CycleLanes { get; set; } = 8;

    /// <summary>
    /// Runs a lane starts per history generation before it continues as new: its history then stays at about four
    /// events per run of one generation, whatever the number of connections.
    /// </summary>
    [Range(1, 1000)]
    public int RunsPerLaneGeneration { get; set; } = 100;

    /// <summary>
    /// How long one SyncPage activity syncs before handing back to its orchestration: a slice of pages, each
    /// checkpointed as the self-hosted runner does, so Durable's queue and history round trip is paid per slice, not
    /// per page. Well under host.json's functionTimeout.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan SliceDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many writes (pages) per slice.</summary>
    [Range(1, 10_000)]
    public int SlicePages { get; set; } = 500;

    /// <summary>Activities (slices) per orchestration generation before ContinueAsNew keeps the history small.</summary>
    [Range(1, 1000)]
    public int PagesPerGeneration { get; set; } = 50;

    [Range(1, 10)]
    public int ActivityMaxAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ActivityFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ActivityMaxRetryInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Finished orchestration instances (completed, failed, terminated) older than this are purged by the maintenance timer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a paused run waits for <c>resume</c> before checking its state again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PausedRecheckInterval { get; set; } = TimeSpan.FromMinutes(10);
}

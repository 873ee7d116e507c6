using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Jobs;

/// <summary>Bound from configuration section <c>Workers</c>.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Workers";

    /// <summary>Workers per replica competing for job messages.</summary>
    [Range(0, 64)]
    public int Count { get; set; } = 4;

    /// <summary>
    /// How long a received message stays hidden; renewed while its run goes on. It is also how soon a crashed
    /// runner's job reappears, so it matches <c>Sync:LeaseDuration</c> (2 min): another worker resumes the run about
    /// one lease after the crash (it was 5 min, and runs sat <c>stale</c> for up to that long).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause after finding the queue empty.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A message received this many times goes to the poison queue and its run is marked failed.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Wait before retrying a job whose organization is at its concurrency cap.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(10);
}

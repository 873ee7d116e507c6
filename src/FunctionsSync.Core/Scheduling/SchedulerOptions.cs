using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Scheduling;

/// <summary>Bound from configuration section <c>Scheduler</c>.</summary>
public sealed class SchedulerOptions : IValidatableObject
{
    public const string SectionName = "Scheduler";

    /// <summary>The schedule a fresh deployment starts with; afterwards the persisted one (POST /api/sync/interval) rules.</summary>
    public string DefaultCron { get; set; } = "0 */15 * * * *";

    /// <summary>Whether a fresh deployment starts with the schedule enabled.</summary>
    public bool EnabledByDefault { get; set; } = true;

    /// <summary>How often replicas look at the schedule; start/stop/interval changes take effect within one tick.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A cycle's job starts are spread over at most this long (and at most half the schedule's period).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxSpread { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Runs of one organization in flight at once, across all replicas.</summary>
    [Range(1, 100)]
    public int OrganizationConcurrency { get; set; } = 5;

    /// <summary>Queue-and-enqueue operations a cycle performs in parallel.</summary>
    [Range(1, 128)]
    public int PlanningParallelism { get; set; } = 32;

    /// <summary>
    /// The closest two cycles may follow each other under a schedule set through <c>/api/sync/interval</c> (the
    /// configured <see cref="DefaultCron"/> is the operator's and may be faster, e.g. in tests).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MinimumCronInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A queued run older than this that never started is dispatched again by the next cycle.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan QueuedRunTimeout { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronSchedule.TryParse(DefaultCron, out _, out var error))
        {
            yield return new ValidationResult(error, [nameof(DefaultCron)]);
        }
    }
}

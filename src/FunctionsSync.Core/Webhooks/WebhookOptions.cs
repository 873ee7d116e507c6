using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Webhooks;

/// <summary>Webhook delivery. Bound from configuration section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>Attempts per delivery before it is marked failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The schedule used when none is configured: 5 s, 5 min, 30 min, 2 h.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } = [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    /// <summary>
    /// Wait before attempt 2, 3, …; the last entry repeats when attempts outnumber it. Empty means
    /// <see cref="DefaultRetrySchedule"/> (configuration binding appends to a list, so the default cannot live here).
    /// </summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>An endpoint whose attempts failed continuously for this long is disabled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Longest one attempt may take; a slow receiver costs a delivery worker this much at most.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the sweeper looks for due retries and for outbox rows whose signal was lost.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>An outbox row this old is taken to have lost its signal and is dispatched by the sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries attempted at once by one worker.</summary>
    [Range(1, 256)]
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>
    /// Hosts (name or address, optionally <c>:port</c>) that may be targets although they are loopback or private.
    /// Empty in production; the local demo names the simulator's receiver.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>After a secret rotation, how long the previous secret keeps signing beside the new one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Whether this process sends deliveries (queue worker and sweeper). Off for replicas that only sync.</summary>
    public bool DispatchEnabled { get; set; } = true;

    public TimeSpan DelayBefore(int attempt)
    {
        var schedule = RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;
        return schedule[Math.Clamp(attempt - 2, 0, schedule.Count - 1)];
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetrySchedule.Any(d => d < TimeSpan.Zero || d > TimeSpan.FromDays(1)))
        {
            yield return new ValidationResult("Webhooks:RetrySchedule entries must be between 0 and 1 day.", [nameof(RetrySchedule)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>How marketplace calls are retried and timed out. Bound from configuration section <c>Marketplaces</c>.</summary>
public sealed class MarketplaceHttpOptions
{
    public const string SectionName = "Marketplaces";

    /// <summary>Retries after the first attempt for 429, 5xx and timeouts.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff; doubles per retry with jitter, capped at <see cref="MaxDelay"/>. Retry-After wins when sent.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(16);

    /// <summary>Longest a single attempt may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is not waited out in-process; the run fails as rate limited and resumes later.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);
}

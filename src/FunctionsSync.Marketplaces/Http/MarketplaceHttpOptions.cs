using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>How marketplace calls are limited, retried, timed out and broken. Bound from configuration section <c>Marketplaces</c>.</summary>
public sealed class MarketplaceHttpOptions : IValidatableObject
{
    public const string SectionName = "Marketplaces";

    /// <summary>Retries after the first attempt for 5xx, timeouts and connection failures.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Retries of 429 answers. They are flow control rather than faults, so they get their own budget; every one waits
    /// for the marketplace's Retry-After.
    /// </summary>
    [Range(0, 50)]
    public int MaxRateLimitRetries { get; set; } = 10;

    /// <summary>First backoff; doubles per retry with jitter, capped at <see cref="MaxDelay"/>. Retry-After wins when sent.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(16);

    /// <summary>Longest a single attempt may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest one call may take, retries and rate-limit waits included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A Retry-After longer than this is not waited out in-process; the run fails as rate limited and resumes later.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Share of failed calls (5xx, timeouts) in <see cref="BreakerSamplingDuration"/> that opens a connection's circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a file download (a report document) may take once its headers arrived.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "06:00:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Client-side rate limiting, shaped per marketplace. Off only for tests against an unlimited simulator.</summary>
    public bool RateLimitsEnabled { get; set; } = true;

    /// <summary>Share of the published rate actually used, leaving room for clock jitter.</summary>
    [Range(0.1, 1.0)]
    public double RateLimitSafetyFactor { get; set; } = 0.95;

    /// <summary>
    /// Published limits per marketplace (<c>amazon</c>) and per operation a marketplace budgets on its own
    /// (<c>amazon.createReport</c>): bucket size (burst) and sustained requests per second.
    /// </summary>
    public Dictionary<string, RateLimitShape> RateLimits { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["shopify"] = new() { Capacity = 40, PerSecond = 2 },
        ["amazon"] = new() { Capacity = 20, PerSecond = 0.0167 },
        ["amazon.createReport"] = new() { Capacity = 15, PerSecond = 0.0167 },
        ["amazon.getReport"] = new() { Capacity = 15, PerSecond = 2 },
        ["amazon.getReportDocument"] = new() { Capacity = 15, PerSecond = 0.0167 },
        ["amazon.getOrderItems"] = new() { Capacity = 30, PerSecond = 0.5 },
        // Orders 2026-01-01 searchOrders' usage plan (contracts/amazon/orders_2026-01-01.json).
        ["amazon.searchOrders"] = new() { Capacity = 20, PerSecond = 0.0056 },
        // getOrder's: 0.5 requests/s, burst 30 (the same contract).
        ["amazon.getOrder"] = new() { Capacity = 30, PerSecond = 0.5 },
        ["etsy"] = new() { Capacity = 10, PerSecond = 10 },
        ["woocommerce"] = new() { Capacity = 25, PerSecond = 5 },
        // "V4 of our API allows 100 requests per minute" (contracts/medipim): a small burst, so that no minute, however
        // its window falls, holds more than 100 (5 + 60 × 1.58 × the safety factor).
        ["medipim"] = new() { Capacity = 5, PerSecond = 100 / 60.0 },
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (marketplace, shape) in RateLimits)
        {
            if (shape.Capacity < 1 || shape.PerSecond <= 0)
            {
                yield return new ValidationResult($"Marketplaces:RateLimits:{marketplace} needs Capacity >= 1 and PerSecond > 0.", [nameof(RateLimits)]);
            }
        }
    }
}

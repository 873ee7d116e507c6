using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Receipts;

/// <summary>Receipt imports. Bound from configuration section <c>Receipts</c>.</summary>
public sealed class ReceiptOptions : IValidatableObject
{
    public const string SectionName = "Receipts";

    /// <summary>
    /// The validation endpoint, with <c>{marketplace}</c> standing for the connection's marketplace
    /// (locally <c>http://127.0.0.1:7080/mock/{marketplace}/validate</c>). Empty: imports answer 503.
    /// </summary>
    public string ValidatorUrl { get; set; } = "";

    public string ValidatorUser { get; set; } = "";

    public string ValidatorPassword { get; set; } = "";

    /// <summary>First retry of a failed or rate-limited receipt; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Validation calls per receipt before its outcome is final.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the worker looks for due retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A receipt claimed this long ago without an outcome was abandoned by a crashed process; the worker takes it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StaleClaimAfter { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan DelayAfter(int attempts) =>
        TimeSpan.FromTicks((long)Math.Min(MaxRetryDelay.Ticks, BaseRetryDelay.Ticks * Math.Pow(2, Math.Max(0, attempts - 1))));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ValidatorUrl)
            && !(Uri.TryCreate(ValidatorUrl.Replace("{marketplace}", "x", StringComparison.Ordinal), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new ValidationResult("Receipts:ValidatorUrl must be an absolute http(s) URL (with {marketplace} where the marketplace goes).", [nameof(ValidatorUrl)]);
        }
    }
}

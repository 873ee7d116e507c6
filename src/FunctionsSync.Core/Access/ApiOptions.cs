using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Access;

/// <summary>Bound from configuration section <c>Api</c>.</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>The admin key (environment <c>Api__AdminKey</c>); sees and changes everything.</summary>
    [Required(ErrorMessage = "Api:AdminKey is required (environment Api__AdminKey).")]
    [MinLength(16, ErrorMessage = "Api:AdminKey must be at least 16 characters.")]
    public string AdminKey { get; set; } = "";

    /// <summary>The largest request body either host reads (413 beyond): far below Kestrel's 30 MB, and above the
    /// largest legitimate body (a connection's credentials and settings, a record).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long <c>GET /api/sync/status</c> keeps the connection counts and active runs it worked out for a scope
    /// (reading every connection of it), or ten times as long as that took where longer; 0 works them out on every request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <c>GET /api/health</c> waits for each dependency before it reports it as not answering.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest URL (path and query) either host serves (414 beyond); the self-hosted runtime lets Kestrel read
    /// request lines up to 64 KiB so that it is this limit, with a problem body, that answers.
    /// </summary>
    [Range(256, 32 * 1024)]
    public int MaxUrlLength { get; set; } = 4096;

    /// <summary>Self-hosted: a client must have sent its request's headers within this (Kestrel's RequestHeadersTimeout); else the connection is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Self-hosted: a request body must arrive at least this fast (bytes a second, after <see cref="MinBodyRateGrace"/>);
    /// a slower one is cut off with 408 (Kestrel's MinRequestBodyDataRate), so a client sending a byte a second holds
    /// a connection for seconds, never a worker. (Azure Functions' front end sets its own limits.)
    /// </summary>
    [Range(1, 1_000_000)]
    public double MinBodyBytesPerSecond { get; set; } = 240;

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan MinBodyRateGrace { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SamplePlaceholder.Is(AdminKey))
        {
            yield return new ValidationResult(
                "Api:AdminKey is the sample's placeholder: set a long random key of your own (e.g. openssl rand -base64 32).", [nameof(AdminKey)]);
        }
    }
}

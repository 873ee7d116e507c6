using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Conflicts;

/// <summary>The automatic conflict policy. Bound from configuration section <c>Conflicts</c>.</summary>
public sealed class ConflictOptions
{
    public const string SectionName = "Conflicts";

    /// <summary>Automatic retries of a <c>data_mismatch</c> before it waits for a person.</summary>
    [Range(0, 10)]
    public int MaxAutoRetries { get; set; } = 3;

    /// <summary>First automatic retry; doubles per retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the worker looks for due retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}

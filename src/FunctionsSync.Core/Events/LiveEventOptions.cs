using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Events;

public sealed class LiveEventOptions
{
    public const string SectionName = "Events";

    /// <summary>How often a stream looks for new events.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far back each poll looks again, for events written late (another replica's clock, a slow write); what was
    /// already sent is not sent twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan LateWriteWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A comment line keeps idle connections open through proxies.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How far back a reconnecting client may resume; older positions start here.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often an open stream checks its key again: a revoked key's stream ends within this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan KeyCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A stream ends after this long; the client reconnects from its last id (EventSource does by itself).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxStreamLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Streams one key may hold open at once on one replica; more answer 429.</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerKey { get; set; } = 10;

    /// <summary>Progress events of one run at most this often.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events waiting to be written; beyond it new ones are dropped (and logged): a stream is a view, the runs stay the record.</summary>
    [Range(100, 1_000_000)]
    public int BufferSize { get; set; } = 10_000;
}

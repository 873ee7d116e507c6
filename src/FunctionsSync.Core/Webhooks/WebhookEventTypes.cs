namespace FunctionsSync.Core.Webhooks;

/// <summary>The events an endpoint can subscribe to.</summary>
public static class WebhookEventTypes
{
    public const string SyncStarted = "sync.started";
    public const string SyncCompleted = "sync.completed";
    public const string SyncFailed = "sync.failed";
    public const string ConflictCreated = "conflict.created";

    /// <summary>A full run found a stored record deleted at the marketplace; the record is kept as a tombstone.</summary>
    public const string RecordDeleted = "record.deleted";

    /// <summary>The seller's authorization was revoked or expired: a person must connect the store again (new credentials by PATCH or registration).</summary>
    public const string ReauthorizationRequired = "connection.reauthorization_required";

    /// <summary>A run's changes took longer to be stored than the connection's freshness objective allows.</summary>
    public const string ConnectionStale = "connection.stale";

    /// <summary>A stale connection's changes are stored within its objective again.</summary>
    public const string ConnectionFresh = "connection.fresh";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        SyncStarted, SyncCompleted, SyncFailed, ConflictCreated, RecordDeleted, ReauthorizationRequired, ConnectionStale, ConnectionFresh,
    };
}

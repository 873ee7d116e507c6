namespace FunctionsSync.Core.Webhooks;

/// <summary>The events an endpoint can subscribe to.</summary>
public static class WebhookEventTypes
{
    public const string SyncStarted = "sync.started";
    public const string SyncCompleted = "sync.completed";
    public const string SyncFailed = "sync.failed";
    public const string ConflictCreated = "conflict.created";

    /// <summary>The seller's authorization was revoked or expired: a person must connect the store again (new credentials by PATCH or registration).</summary>
    public const string ReauthorizationRequired = "connection.reauthorization_required";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        SyncStarted, SyncCompleted, SyncFailed, ConflictCreated, ReauthorizationRequired,
    };
}

namespace FunctionsSync.Core.Events;

public static class LiveEventTypes
{
    public const string RunQueued = "run.queued";
    public const string RunStarted = "run.started";
    public const string RunProgress = "run.progress";
    public const string RunPaused = "run.paused";
    public const string RunFinished = "run.finished";
    public const string ConflictOpened = "conflict.opened";
    public const string ConflictResolved = "conflict.resolved";
    public const string WebhookDelivery = "webhook.delivery";
    public const string ReauthorizationRequired = "connection.reauthorization_required";

    /// <summary>First event of every stream: carries the position to resume from, nothing else.</summary>
    public const string Ready = "ready";

    /// <summary>Last event of a stream whose key was revoked: the client must not reconnect with it.</summary>
    public const string Revoked = "revoked";

    /// <summary>Last event of a stream that reached its maximum lifetime: reconnect from this id (EventSource does).</summary>
    public const string Reconnect = "reconnect";
}

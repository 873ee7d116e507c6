namespace FunctionsSync.Core.Api;

/// <summary>
/// The HTTP API's one route table (relative to the <c>/api</c> prefix), which both hosts map: the self-hosted runtime's
/// endpoints and the Functions app's HTTP triggers name these constants, and a test per host fails when its routes
/// or verbs differ from <see cref="All"/>.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";

    public const string Health = "health";
    public const string OrdersImport = "orders/import";
    public const string SyncStatus = "sync/status";
    public const string SyncStart = "sync/start";
    public const string SyncStop = "sync/stop";
    public const string SyncInterval = "sync/interval";
    public const string SyncTrigger = "sync/trigger";
    public const string SyncRunFull = "sync/run-full";
    public const string Runs = "runs";
    public const string Run = "runs/{runId}";
    public const string RunPause = "runs/{runId}/pause";
    public const string RunResume = "runs/{runId}/resume";
    public const string RunCancel = "runs/{runId}/cancel";
    public const string Connections = "connections";
    public const string Connection = "connections/{id}";
    public const string ConnectionStatus = "connections/{id}/status";
    public const string ConnectionSyncToken = "connections/{id}/sync-token";
    public const string ConnectionActivity = "connections/{id}/activity";
    public const string ConnectionRuns = "connections/{id}/runs";
    public const string Records = "connections/{id}/records/{entityType}";
    public const string Record = "connections/{id}/records/{entityType}/{externalId}";
    public const string Conflicts = "conflicts";
    public const string Conflict = "conflicts/{id}";
    public const string ConflictResolve = "conflicts/{id}/resolve";
    public const string Webhooks = "webhooks";
    public const string Webhook = "webhooks/{id}";
    public const string WebhookDeliveries = "webhooks/{id}/deliveries";
    public const string WebhookSecret = "webhooks/{id}/secret";
    public const string WebhookReplay = "webhooks/deliveries/{id}/replay";
    public const string Events = "events";
    public const string AdminKeys = "admin/keys";
    public const string AdminKey = "admin/keys/{id}";

    /// <summary>Every route: its Functions function name, verb and template.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("Health", "GET", Health),
        new("Health", "HEAD", Health),
        new("OrdersImport", "POST", OrdersImport),
        new("SyncStatus", "GET", SyncStatus),
        new("SyncStart", "POST", SyncStart),
        new("SyncStop", "POST", SyncStop),
        new("SyncInterval", "POST", SyncInterval),
        new("SyncTrigger", "POST", SyncTrigger),
        new("SyncRunFull", "POST", SyncRunFull),
        new("RunList", "GET", Runs),
        new("RunGet", "GET", Run),
        new("RunPause", "POST", RunPause),
        new("RunResume", "POST", RunResume),
        new("RunCancel", "POST", RunCancel),
        new("ConnectionRegister", "POST", Connections),
        new("ConnectionList", "GET", Connections),
        new("ConnectionGet", "GET", Connection),
        new("ConnectionStatus", "GET", ConnectionStatus),
        new("ConnectionRotateSyncToken", "POST", ConnectionSyncToken),
        new("ConnectionPatch", "PATCH", Connection),
        new("ConnectionDelete", "DELETE", Connection),
        new("ConnectionActivity", "GET", ConnectionActivity),
        new("ConnectionRuns", "GET", ConnectionRuns),
        new("RecordList", "GET", Records),
        new("RecordGet", "GET", Record),
        new("RecordEdit", "PUT", Record),
        new("ConflictList", "GET", Conflicts),
        new("ConflictGet", "GET", Conflict),
        new("ConflictResolve", "POST", ConflictResolve),
        new("WebhookCreate", "POST", Webhooks),
        new("WebhookList", "GET", Webhooks),
        new("WebhookGet", "GET", Webhook),
        new("WebhookPatch", "PATCH", Webhook),
        new("WebhookDelete", "DELETE", Webhook),
        new("WebhookDeliveries", "GET", WebhookDeliveries),
        new("WebhookRotateSecret", "POST", WebhookSecret),
        new("WebhookReplay", "POST", WebhookReplay),
        new("Events", "GET", Events),
        new("AdminIssueKey", "POST", AdminKeys),
        new("AdminListKeys", "GET", AdminKeys),
        new("AdminRevokeKey", "DELETE", AdminKey),
    ];
}

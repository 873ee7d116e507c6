using System.Text.Json;
using FunctionsSync.Core.Access;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Events;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsSync.Core.Api.ApiQueryParameter;

namespace FunctionsSync.Core.Api;

/// <summary>
/// The HTTP API's one route table (relative to the <c>/api</c> prefix), which both hosts map and the OpenAPI document
/// describes.
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
    public const string RunHistory = "run-history";
    public const string RunPause = "runs/{runId}/pause";
    public const string RunResume = "runs/{runId}/resume";
    public const string RunCancel = "runs/{runId}/cancel";
    public const string Connections = "connections";
    public const string Connection = "connections/{id}";
    public const string ConnectionStatus = "connections/{id}/status";
    public const string ConnectionSyncToken = "connections/{id}/sync-token";
    public const string ConnectionActivity = "connections/{id}/activity";
    public const string ConnectionReset = "connections/{id}/reset";
    public const string ConnectionBackfill = "connections/{id}/backfill";
    public const string Notifications = "notifications/{connectionId}";
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
    public const string WebhookDelivery = "webhooks/deliveries/{id}";
    public const string WebhookReplay = "webhooks/deliveries/{id}/replay";
    public const string Events = "events";
    public const string AdminKeys = "admin/keys";
    public const string AdminKey = "admin/keys/{id}";

    /// <summary>Each route's summary, by operation id: a route without one fails at start-up. Declared before the table, which reads it as it is built.</summary>
    private static readonly IReadOnlyDictionary<string, string> Summaries = new Dictionary<string, string>
    {
        ["Health"] = "The service's health and its dependencies'",
        ["HealthHead"] = "The service's health, status only",
        ["OrdersImport"] = "Import an order receipt with a connection's sync token",
        ["SyncStatus"] = "The schedule, connection counts by health and the active runs",
        ["SyncStart"] = "Start the schedule",
        ["SyncStop"] = "Stop the schedule",
        ["SyncInterval"] = "Set the schedule's interval",
        ["SyncTrigger"] = "Queue runs of chosen connections now",
        ["SyncRunFull"] = "Queue a full sync of every connection (of one organization)",
        ["RunList"] = "Runs across connections by status",
        ["RunHistory"] = "A page of ended runs across connections, newest first",
        ["RunGet"] = "A run with its progress, counters and estimate",
        ["RunPause"] = "Pause a run between pages",
        ["RunResume"] = "Resume a paused run",
        ["RunCancel"] = "Cancel a run",
        ["ConnectionRegister"] = "Register a marketplace connection",
        ["ConnectionList"] = "A page of connections with their health",
        ["ConnectionGet"] = "A connection with its last run, record counts and cursors",
        ["ConnectionStatus"] = "A connection's sync status and recent outcomes",
        ["ConnectionRotateSyncToken"] = "Replace a connection's receipt-import token",
        ["ConnectionReset"] = "Rewind feeds to a full read on their next run",
        ["ConnectionBackfill"] = "Read a date range again, beside the schedule",
        ["NotificationReceive"] = "Receive a marketplace's signed change notification",
        ["ConnectionPatch"] = "Change a connection's schedule, credentials or settings",
        ["ConnectionDelete"] = "Delete a connection, keeping its history",
        ["ConnectionActivity"] = "A connection's activity log, newest first",
        ["ConnectionRuns"] = "A page of a connection's runs, newest first",
        ["RecordList"] = "A page of a connection's stored records of one type",
        ["RecordGet"] = "One stored record",
        ["RecordEdit"] = "Replace a stored record (a local edit)",
        ["RecordPatch"] = "Change a stored record locally with a JSON merge patch",
        ["ConflictList"] = "A page of conflicts",
        ["ConflictGet"] = "One conflict with both versions",
        ["ConflictResolve"] = "Resolve a conflict",
        ["WebhookCreate"] = "Subscribe an endpoint to events",
        ["WebhookList"] = "Webhook endpoints",
        ["WebhookGet"] = "One webhook endpoint",
        ["WebhookPatch"] = "Change, disable or enable a webhook endpoint",
        ["WebhookDelete"] = "Delete a webhook endpoint",
        ["WebhookDeliveries"] = "An endpoint's recent deliveries",
        ["WebhookRotateSecret"] = "Replace an endpoint's signing secret",
        ["WebhookDeliveryGet"] = "One delivery with the payload it sends",
        ["WebhookReplay"] = "Send a delivery again",
        ["Events"] = "Live events as server-sent events",
        ["AdminIssueKey"] = "Issue an organization API key",
        ["AdminListKeys"] = "API keys issued",
        ["AdminRevokeKey"] = "Revoke an API key",
    };

    /// <summary>
    /// Every route: where it is, what it takes and answers, and its handler. Both hosts map this list (the self-hosted
    /// runtime as endpoints, the Functions app through its one API trigger) and the OpenAPI document describes it, so a
    /// new route is a line here, its handler and its test.
    /// </summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        Get<HealthApi, HealthView>("Health", Health, (h, c) => h.GetAsync(c.Aborted)) with { RequiresKey = false, AlsoAnswers = [503] },
        Route<HealthApi, HealthView>("HealthHead", "HEAD", Health, (h, c) => h.GetAsync(c.Aborted)) with { RequiresKey = false, AlsoAnswers = [503] },

        // The push path authenticates with the connection's sync token in the body, not an API key.
        Post<ReceiptsApi, ImportReceiptRequest, ReceiptView>("OrdersImport", OrdersImport, (h, c) => h.ImportAsync(c.Body, c.Aborted), 201) with { RequiresKey = false },

        // Marketplaces sign their notifications with the connection's webhook secret; they send no API key.
        Post<Notifications.NotificationsApi, JsonElement, Notifications.NotificationAccepted>("NotificationReceive", Notifications, (h, c) => h.ReceiveAsync(c.Route("connectionId"), c.Body, c.Header, c.Aborted), 202)
            with { RequiresKey = false, AlsoAnswers = [200] },

        Get<SyncApi, SyncStatusView>("SyncStatus", SyncStatus, (h, c) => h.StatusAsync(c.Caller, c.Aborted)),
        Post<SyncApi, ScheduleView>("SyncStart", SyncStart, (h, c) => h.SetEnabledAsync(c.Caller, true, c.Aborted)),
        Post<SyncApi, ScheduleView>("SyncStop", SyncStop, (h, c) => h.SetEnabledAsync(c.Caller, false, c.Aborted)),
        Post<SyncApi, IntervalRequest, ScheduleView>("SyncInterval", SyncInterval, (h, c) => h.SetIntervalAsync(c.Caller, c.Body, c.Aborted)),
        Post<SyncApi, TriggerRequest, TriggerAccepted>("SyncTrigger", SyncTrigger, (h, c) => h.TriggerAsync(c.Caller, c.Body, c.Aborted), 202),
        Post<SyncApi, RunFullRequest, RunFullAccepted>("SyncRunFull", SyncRunFull, (h, c) => h.RunFullAsync(c.Caller, c.Body, c.Aborted), 202),

        Get<RunListApi, RunListView>("RunList", Runs, (h, c) => h.ListAsync(c.Caller, c.Query("status"), c.Query("organizationId"), c.Int("take"), c.Aborted))
            with { Query = [Choice("status", RunListApi.StatusFilters), Text("organizationId"), Int("take")] },
        Get<RunHistoryApi, RunHistoryView>("RunHistory", RunHistory, (h, c) => h.ListAsync(c.Caller, c.Query("status"), c.Query("organizationId"), c.Int("pageSize"), c.Query("continuationToken"), c.Aborted))
            with { Tag = "runs", Query = [Choice("status", RunHistoryApi.StatusFilters), Text("organizationId"), Int("pageSize"), Text("continuationToken")] },
        Get<RunsApi, RunView>("RunGet", Run, (h, c) => h.GetAsync(c.Caller, c.Route("runId"), c.Aborted)),
        Post<RunsApi, RunView>("RunPause", RunPause, (h, c) => h.PauseAsync(c.Caller, c.Route("runId"), c.Aborted), 202),
        Post<RunsApi, RunView>("RunResume", RunResume, (h, c) => h.ResumeAsync(c.Caller, c.Route("runId"), c.Aborted), 202),
        Post<RunsApi, RunView>("RunCancel", RunCancel, (h, c) => h.CancelAsync(c.Caller, c.Route("runId"), c.Aborted)),

        Post<ConnectionsApi, RegisterConnectionRequest, ConnectionView>("ConnectionRegister", Connections, (h, c) => h.RegisterAsync(c.Caller, c.Body, c.Aborted), 201),
        Get<ConnectionsApi, ConnectionListView>("ConnectionList", Connections, (h, c) => h.ListAsync(c.Caller, c.Query("organizationId"), c.Query("health"), c.Int("pageSize"), c.Query("continuationToken"), c.Aborted))
            with { Query = [Text("organizationId"), Choice("health", Enum.GetValues<SyncHealth>().Select(SyncHealthRule.WireName)), Int("pageSize"), Text("continuationToken")] },
        Get<ConnectionsApi, ConnectionView>("ConnectionGet", Connection, (h, c) => h.GetAsync(c.Caller, c.Route("id"), c.Aborted)),
        Get<ConnectionsApi, ConnectionStatusView>("ConnectionStatus", ConnectionStatus, (h, c) => h.StatusAsync(c.Caller, c.Route("id"), c.Aborted)),
        Post<ConnectionsApi, RotatedSyncToken>("ConnectionRotateSyncToken", ConnectionSyncToken, (h, c) => h.RotateSyncTokenAsync(c.Caller, c.Route("id"), c.Aborted)),
        Post<Resets.CursorResetApi, Resets.ResetCursorsRequest, Resets.CursorResetView>("ConnectionReset", ConnectionReset, (h, c) => h.ResetAsync(c.Caller, c.Route("id"), c.Body, c.Aborted)),
        Post<Backfills.BackfillApi, Backfills.BackfillRequest, Backfills.BackfillAccepted>("ConnectionBackfill", ConnectionBackfill, (h, c) => h.StartAsync(c.Caller, c.Route("id"), c.Body, c.Aborted), 202),
        Route<ConnectionsApi, PatchConnectionRequest, ConnectionView>("ConnectionPatch", "PATCH", Connection, (h, c) => h.PatchAsync(c.Caller, c.Route("id"), c.Body, c.Aborted)),
        Route<ConnectionsApi, NoBody>("ConnectionDelete", "DELETE", Connection, (h, c) => h.DeleteAsync(c.Caller, c.Route("id"), c.Aborted), 204),
        Get<ActivityApi, ActivityListView>("ConnectionActivity", ConnectionActivity, (h, c) => h.ListAsync(c.Caller, c.Route("id"), c.Int("take"), c.Aborted))
            with { Query = [Int("take")] },
        Get<ConnectionsApi, RunHistoryView>("ConnectionRuns", ConnectionRuns, (h, c) => h.RunsAsync(c.Caller, c.Route("id"), c.Int("pageSize"), c.Query("continuationToken"), c.Aborted))
            with { Query = [Int("pageSize"), Text("continuationToken")] },

        Get<RecordsApi, RecordListView>("RecordList", Records, (h, c) => h.ListAsync(c.Caller, c.Route("id"), c.Route("entityType"), c.Int("pageSize"), c.Query("continuationToken"), c.Query("includeDeleted"), c.Aborted))
            with { Query = [Int("pageSize"), Text("continuationToken"), Choice("includeDeleted", ["true", "false"])] },
        Get<RecordsApi, RecordView>("RecordGet", Record, (h, c) => h.GetAsync(c.Caller, c.Route("id"), c.Route("entityType"), c.Route("externalId"), c.Aborted)),
        Route<RecordsApi, JsonElement, RecordView>("RecordEdit", "PUT", Record, (h, c) => h.EditAsync(c.Caller, c.Route("id"), c.Route("entityType"), c.Route("externalId"), c.Body, c.Aborted)),
        Route<RecordsApi, JsonElement, RecordView>("RecordPatch", "PATCH", Record, (h, c) => h.PatchAsync(c.Caller, c.Route("id"), c.Route("entityType"), c.Route("externalId"), c.Body, c.Aborted))
            with { RequestContentType = "application/merge-patch+json" },

        Get<ConflictsApi, ConflictPageView>("ConflictList", Conflicts, (h, c) =>
                h.ListAsync(c.Caller, c.Query("organizationId"), c.Query("connectionId"), c.Query("status"), c.Int("pageSize"), c.Query("continuationToken"), c.Aborted))
            with { Query = [Text("organizationId"), Text("connectionId"), Choice("status", Enum.GetValues<ConflictStatus>().Select(ApiJson.WireName)), Int("pageSize"), Text("continuationToken")] },
        Get<ConflictsApi, ConflictView>("ConflictGet", Conflict, (h, c) => h.GetAsync(c.Caller, c.Route("id"), c.Aborted)),
        Post<ConflictsApi, ResolveConflictRequest, ConflictView>("ConflictResolve", ConflictResolve, (h, c) => h.ResolveAsync(c.Caller, c.Route("id"), c.Body, c.Aborted)),

        Post<WebhooksApi, CreateWebhookRequest, WebhookEndpointView>("WebhookCreate", Webhooks, (h, c) => h.CreateAsync(c.Caller, c.Body, c.Aborted), 201),
        Get<WebhooksApi, WebhookListView>("WebhookList", Webhooks, (h, c) => h.ListAsync(c.Caller, c.Query("organizationId"), c.Aborted)) with { Query = [Text("organizationId")] },
        Get<WebhooksApi, WebhookEndpointView>("WebhookGet", Webhook, (h, c) => h.GetAsync(c.Caller, c.Route("id"), c.Aborted)),
        Route<WebhooksApi, PatchWebhookRequest, WebhookEndpointView>("WebhookPatch", "PATCH", Webhook, (h, c) => h.PatchAsync(c.Caller, c.Route("id"), c.Body, c.Aborted)),
        Route<WebhooksApi, NoBody>("WebhookDelete", "DELETE", Webhook, (h, c) => h.DeleteAsync(c.Caller, c.Route("id"), c.Aborted), 204),
        Get<WebhooksApi, DeliveryListView>("WebhookDeliveries", WebhookDeliveries, (h, c) => h.DeliveriesAsync(c.Caller, c.Route("id"), c.Aborted)),
        Post<WebhooksApi, WebhookEndpointView>("WebhookRotateSecret", WebhookSecret, (h, c) => h.RotateSecretAsync(c.Caller, c.Route("id"), c.Aborted)),
        Get<WebhooksApi, WebhookDeliveryDetail>("WebhookDeliveryGet", WebhookDelivery, (h, c) => h.DeliveryAsync(c.Caller, c.Route("id"), c.Aborted)),
        Post<WebhooksApi, WebhookDeliveryView>("WebhookReplay", WebhookReplay, (h, c) => h.ReplayAsync(c.Caller, c.Route("id"), c.Aborted), 202),

        Get<EventsApi, StreamedBody>("Events", Events, (h, c) => h.StreamAsync(c.Caller, c.Query("organizationId"), c.Header("Last-Event-ID") ?? c.Query("lastEventId"), c.Header(ApiKeyAuthenticator.HeaderName), c.Aborted))
            with { Query = [Text("organizationId"), Text("lastEventId")], Response = typeof(string), ResponseContentType = ServerSentEvents.ContentType },

        Post<AdminApi, IssueKeyRequest, IssuedKeyView>("AdminIssueKey", AdminKeys, (h, c) => h.IssueKeyAsync(c.Caller, c.Body, c.Aborted), 201),
        Get<AdminApi, ApiKeyList>("AdminListKeys", AdminKeys, (h, c) => h.ListKeysAsync(c.Caller, c.Query("organizationId"), c.Aborted)) with { Query = [Text("organizationId")] },
        Route<AdminApi, NoBody>("AdminRevokeKey", "DELETE", AdminKey, (h, c) => h.RevokeKeyAsync(c.Caller, c.Route("id"), c.Aborted), 204),
    ];

    private static ApiRoute Get<TApi, T>(string name, string template, Func<TApi, ApiCall, Task<ApiResult<T>>> handle)
        where TApi : notnull => Route(name, "GET", template, handle);

    private static ApiRoute Post<TApi, T>(string name, string template, Func<TApi, ApiCall, Task<ApiResult<T>>> handle, int success = 200)
        where TApi : notnull => Route(name, "POST", template, handle, success);

    private static ApiRoute Post<TApi, TRequest, T>(string name, string template, Func<TApi, ApiCall, Task<ApiResult<T>>> handle, int success = 200)
        where TApi : notnull => Route<TApi, TRequest, T>(name, "POST", template, handle, success);

    private static ApiRoute Route<TApi, TRequest, T>(string name, string verb, string template, Func<TApi, ApiCall, Task<ApiResult<T>>> handle, int success = 200)
        where TApi : notnull => Route(name, verb, template, handle, success) with { Request = typeof(TRequest) };

    /// <summary>A route whose handler is a <typeparamref name="TApi"/> service answering <typeparamref name="T"/>.</summary>
    private static ApiRoute Route<TApi, T>(string name, string verb, string template, Func<TApi, ApiCall, Task<ApiResult<T>>> handle, int success = 200)
        where TApi : notnull => new(name, verb, template)
        {
            Summary = Summaries[name],
            Success = success,
            Response = typeof(T) == typeof(NoBody) ? null : typeof(T),
            Handler = async call => (await handle(call.Services.GetRequiredService<TApi>(), call)).Result,
        };
}

using System.Text.Json;

namespace FunctionsSync.Core.Api;

/// <summary>
/// What each route of <see cref="ApiRoutes"/> takes and answers, for the OpenAPI document: the request body's type, the
/// success status and its body's type (<see cref="JsonElement"/>: a JSON object the document does not detail). Every
/// route may also answer the problems its handler gives (400, 401, 403, 404, 409, 413, 415, 422, 503).
/// </summary>
public static class ApiContracts
{
    public sealed record Contract(Type? Request, int Success, Type? Response, string ResponseType = "application/json");

    public static IReadOnlyDictionary<string, Contract> ByRoute { get; } = new Dictionary<string, Contract>
    {
        ["Health"] = new(null, 200, typeof(HealthView)),
        ["OrdersImport"] = new(typeof(ImportReceiptRequest), 201, typeof(ReceiptView)),
        ["SyncStatus"] = new(null, 200, typeof(SyncStatusView)),
        ["SyncStart"] = new(null, 200, typeof(ScheduleView)),
        ["SyncStop"] = new(null, 200, typeof(ScheduleView)),
        ["SyncInterval"] = new(typeof(IntervalRequest), 200, typeof(ScheduleView)),
        ["SyncTrigger"] = new(typeof(TriggerRequest), 202, typeof(TriggerAccepted)),
        ["SyncRunFull"] = new(typeof(RunFullRequest), 202, typeof(RunFullAccepted)),
        ["RunList"] = new(null, 200, typeof(RunListView)),
        ["RunGet"] = new(null, 200, typeof(RunView)),
        ["RunPause"] = new(null, 202, typeof(RunView)),
        ["RunResume"] = new(null, 202, typeof(RunView)),
        ["RunCancel"] = new(null, 200, typeof(RunView)),
        ["ConnectionRegister"] = new(typeof(RegisterConnectionRequest), 201, typeof(ConnectionView)),
        ["ConnectionList"] = new(null, 200, typeof(ConnectionListView)),
        ["ConnectionGet"] = new(null, 200, typeof(ConnectionView)),
        ["ConnectionStatus"] = new(null, 200, typeof(ConnectionStatusView)),
        ["ConnectionRotateSyncToken"] = new(null, 200, typeof(RotatedSyncToken)),
        ["ConnectionPatch"] = new(typeof(PatchConnectionRequest), 200, typeof(ConnectionView)),
        ["ConnectionDelete"] = new(null, 204, null),
        ["ConnectionActivity"] = new(null, 200, typeof(ActivityListView)),
        ["ConnectionRuns"] = new(null, 200, typeof(RunHistoryView)),
        ["RecordList"] = new(null, 200, typeof(RecordListView)),
        ["RecordGet"] = new(null, 200, typeof(RecordView)),
        ["RecordEdit"] = new(typeof(JsonElement), 200, typeof(RecordView)),
        ["ConflictList"] = new(null, 200, typeof(ConflictPageView)),
        ["ConflictGet"] = new(null, 200, typeof(ConflictView)),
        ["ConflictResolve"] = new(typeof(ResolveConflictRequest), 200, typeof(ConflictView)),
        ["WebhookCreate"] = new(typeof(CreateWebhookRequest), 201, typeof(WebhookEndpointView)),
        ["WebhookList"] = new(null, 200, typeof(WebhookListView)),
        ["WebhookGet"] = new(null, 200, typeof(WebhookEndpointView)),
        ["WebhookPatch"] = new(typeof(PatchWebhookRequest), 200, typeof(WebhookEndpointView)),
        ["WebhookDelete"] = new(null, 204, null),
        ["WebhookDeliveries"] = new(null, 200, typeof(DeliveryListView)),
        ["WebhookRotateSecret"] = new(null, 200, typeof(WebhookEndpointView)),
        ["WebhookReplay"] = new(null, 202, typeof(WebhookDeliveryView)),
        ["Events"] = new(null, 200, typeof(string), Events.ServerSentEvents.ContentType),
        ["AdminIssueKey"] = new(typeof(IssueKeyRequest), 201, typeof(IssuedKeyView)),
        ["AdminListKeys"] = new(null, 200, typeof(ApiKeyList)),
        ["AdminRevokeKey"] = new(null, 204, null),
    };

    /// <summary>The problem statuses a route can answer besides its success (all of them: the body rules apply everywhere).</summary>
    public static IReadOnlyList<int> ProblemStatuses { get; } = [400, 401, 403, 404, 409, 413, 415, 422, 503];
}

using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Http;

/// <summary>Conflicts, the activity log and single records (local changes).</summary>
public sealed class ConflictFunctions(HttpApi http, ConflictsApi conflicts, ActivityApi activity, RecordsApi records)
{
    [Function("ConflictList")]
    public Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Conflicts)] HttpRequest request) =>
        http.WithCallerAsync(request, async caller => ApiQuery.TryInt(request.Query["pageSize"].FirstOrDefault(), "pageSize", out var size, out var problem)
            ? await conflicts.ListAsync(
                caller,
                request.Query["organizationId"].FirstOrDefault(),
                request.Query["connectionId"].FirstOrDefault(),
                request.Query["status"].FirstOrDefault(),
                size,
                request.Query["continuationToken"].FirstOrDefault(),
                request.HttpContext.RequestAborted)
            : problem);

    [Function("ConflictGet")]
    public Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Conflict)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => conflicts.GetAsync(caller, id, request.HttpContext.RequestAborted));

    /// <summary>A <c>retry</c> of a connection-level conflict queues a run, which starts as a ConnectionSync orchestration.</summary>
    [Function("ConflictResolve")]
    public Task<IActionResult> ResolveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ConflictResolve)] HttpRequest request, string id, [DurableClient] DurableTaskClient client) =>
        http.WithRunsAsync(request, client, async caller => await conflicts.ResolveAsync(caller, id, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));

    [Function("ConnectionActivity")]
    public Task<IActionResult> ActivityAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ConnectionActivity)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, async caller => ApiQuery.TryInt(request.Query["take"].FirstOrDefault(), "take", out var take, out var problem)
            ? await activity.ListAsync(caller, id, take, request.HttpContext.RequestAborted)
            : problem);

    [Function("RecordList")]
    public Task<IActionResult> RecordListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Records)] HttpRequest request, string id, string entityType) =>
        http.WithCallerAsync(request, async caller => ApiQuery.TryInt(request.Query["pageSize"].FirstOrDefault(), "pageSize", out var size, out var problem)
            ? await records.ListAsync(caller, id, entityType, size, request.Query["continuationToken"].FirstOrDefault(), request.HttpContext.RequestAborted)
            : problem);

    [Function("RecordGet")]
    public Task<IActionResult> RecordGetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Record)] HttpRequest request, string id, string entityType, string externalId) =>
        http.WithCallerAsync(request, caller => records.GetAsync(caller, id, entityType, externalId, request.HttpContext.RequestAborted));

    [Function("RecordEdit")]
    public Task<IActionResult> RecordEditAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.Record)] HttpRequest request, string id, string entityType, string externalId) =>
        http.WithCallerAsync(request, async caller => await records.EditAsync(caller, id, entityType, externalId, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));
}

using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

public sealed class ConnectionFunctions(HttpApi http, ConnectionsApi api)
{
    [Function("ConnectionRegister")]
    public Task<IActionResult> RegisterAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Connections)] HttpRequest request) =>
        http.WithCallerAsync(request, async caller => await api.RegisterAsync(caller, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));

    [Function("ConnectionList")]
    public Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Connections)] HttpRequest request) =>
        http.WithCallerAsync(request, caller => api.ListAsync(caller, request.Query["organizationId"].FirstOrDefault(), request.Query["health"].FirstOrDefault(), request.HttpContext.RequestAborted));

    [Function("ConnectionGet")]
    public Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Connection)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.GetAsync(caller, id, request.HttpContext.RequestAborted));

    [Function("ConnectionRotateSyncToken")]
    public Task<IActionResult> RotateSyncTokenAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ConnectionSyncToken)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.RotateSyncTokenAsync(caller, id, request.HttpContext.RequestAborted));

    [Function("ConnectionStatus")]
    public Task<IActionResult> StatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ConnectionStatus)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.StatusAsync(caller, id, request.HttpContext.RequestAborted));

    [Function("ConnectionRuns")]
    public Task<IActionResult> RunsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ConnectionRuns)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, async caller => ApiQuery.TryInt(request.Query["pageSize"].FirstOrDefault(), "pageSize", out var size, out var problem)
            ? await api.RunsAsync(caller, id, size, request.Query["continuationToken"].FirstOrDefault(), request.HttpContext.RequestAborted)
            : problem);

    [Function("ConnectionPatch")]
    public Task<IActionResult> PatchAsync([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ApiRoutes.Connection)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, async caller => await api.PatchAsync(caller, id, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));

    [Function("ConnectionDelete")]
    public Task<IActionResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Connection)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.DeleteAsync(caller, id, request.HttpContext.RequestAborted));
}

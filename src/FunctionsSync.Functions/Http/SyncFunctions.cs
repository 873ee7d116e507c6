using FunctionsSync.Core.Api;
using FunctionsSync.Core.Orchestration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Http;

/// <summary>The <c>/api/sync</c> routes. Keys are checked by Core (X-Api-Key), so the triggers are anonymous to Functions.</summary>
public sealed class SyncFunctions(HttpApi http, SyncApi api)
{
    [Function("SyncStatus")]
    public Task<IActionResult> StatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.SyncStatus)] HttpRequest request) =>
        http.WithCallerAsync(request, caller => api.StatusAsync(caller, request.HttpContext.RequestAborted));

    [Function("SyncStart")]
    public Task<IActionResult> StartAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SyncStart)] HttpRequest request) =>
        http.WithCallerAsync(request, caller => api.SetEnabledAsync(caller, true, request.HttpContext.RequestAborted));

    [Function("SyncStop")]
    public Task<IActionResult> StopAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SyncStop)] HttpRequest request) =>
        http.WithCallerAsync(request, caller => api.SetEnabledAsync(caller, false, request.HttpContext.RequestAborted));

    [Function("SyncInterval")]
    public Task<IActionResult> IntervalAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SyncInterval)] HttpRequest request) =>
        http.WithCallerAsync(request, async caller => await api.SetIntervalAsync(caller, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));

    [Function("SyncTrigger")]
    public Task<IActionResult> TriggerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SyncTrigger)] HttpRequest request, [DurableClient] DurableTaskClient client) =>
        http.WithRunsAsync(request, client, async caller => await api.TriggerAsync(caller, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));

    /// <summary>A full cycle is a SyncCycle orchestration (kind full), so the per-organization and global caps apply.</summary>
    [Function("SyncRunFull")]
    public Task<IActionResult> RunFullAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SyncRunFull)] HttpRequest request, [DurableClient] DurableTaskClient client) =>
        http.WithCallerAsync(request, async caller =>
        {
            var instanceId = $"{OrchestrationNames.CycleInstanceId}-full-{Guid.NewGuid():N}";
            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.SyncCycle, new CycleInput("full", caller.IsAdmin ? null : caller.OrganizationId),
                new StartOrchestrationOptions(InstanceId: instanceId), request.HttpContext.RequestAborted);
            return new ApiResult(StatusCodes.Status202Accepted, new { cycleId = instanceId });
        });
}

using FunctionsSync.Core.Api;
using FunctionsSync.Core.Orchestration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Http;

/// <summary>The <c>/api/sync</c> routes. Keys are checked by Core (X-Api-Key), so the triggers are anonymous to Functions.</summary>
public sealed class SyncFunctions(HttpApi http, SyncApi api, SyncActivities activities)
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

    /// <summary>
    /// A full cycle is a SyncCycle orchestration (kind full, instance id = cycle id), so the per-organization and global
    /// caps apply. It is planned here, as the self-hosted runtime plans it, so the answer names the runs it queued; a
    /// crash before the orchestration starts leaves them queued, and the next cycle dispatches stale queued runs again.
    /// </summary>
    [Function("SyncRunFull")]
    public Task<IActionResult> RunFullAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SyncRunFull)] HttpRequest request, [DurableClient] DurableTaskClient client) =>
        http.WithCallerAsync(request, async caller =>
        {
            if (!SyncApi.TryRunFullScope(caller, await HttpApi.BodyAsync(request), out var organizationId, out var problem))
            {
                return problem;
            }

            var input = new CycleInput("full", organizationId);
            var plan = await activities.PlanCycleAsync(input, request.HttpContext.RequestAborted);
            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.SyncCycle, input with { Plan = plan }, new StartOrchestrationOptions(InstanceId: plan.CycleId), request.HttpContext.RequestAborted);
            return ApiResult.Accepted(new RunFullAccepted(plan.CycleId, plan.Queued, plan.Counts.Active, [.. plan.QueuedRunIds]));
        });
}

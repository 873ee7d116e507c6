using FunctionsSync.Core.Api;
using FunctionsSync.Core.Orchestration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Http;

public sealed class RunFunctions(HttpApi http, RunsApi api, RunListApi list)
{
    [Function("RunList")]
    public Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Runs)] HttpRequest request) =>
        http.WithCallerAsync(request, async caller => ApiQuery.TryInt(request.Query["take"].FirstOrDefault(), "take", out var take, out var problem)
            ? await list.ListAsync(caller, request.Query["status"].FirstOrDefault(), request.Query["organizationId"].FirstOrDefault(), take, request.HttpContext.RequestAborted)
            : problem);

    [Function("RunGet")]
    public Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Run)] HttpRequest request, string runId) =>
        http.WithCallerAsync(request, caller => api.GetAsync(caller, runId, request.HttpContext.RequestAborted));

    [Function("RunPause")]
    public Task<IActionResult> PauseAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RunPause)] HttpRequest request, string runId) =>
        http.WithCallerAsync(request, caller => api.PauseAsync(caller, runId, request.HttpContext.RequestAborted));

    /// <summary>The paused run's ConnectionSync instance waits for the <c>resume</c> event: raise it instead of starting a new one.</summary>
    [Function("RunResume")]
    public Task<IActionResult> ResumeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RunResume)] HttpRequest request, string runId, [DurableClient] DurableTaskClient client) =>
        http.WithResumedRunsAsync(request, client, caller => api.ResumeAsync(caller, runId, request.HttpContext.RequestAborted));

    [Function("RunCancel")]
    public Task<IActionResult> CancelAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RunCancel)] HttpRequest request, string runId) =>
        http.WithCallerAsync(request, caller => api.CancelAsync(caller, runId, request.HttpContext.RequestAborted));
}

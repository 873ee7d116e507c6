using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

public sealed class RunFunctions(HttpApi http, RunsApi api)
{
    [Function("RunGet")]
    public Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "runs/{runId}")] HttpRequest request, string runId) =>
        http.WithCallerAsync(request, caller => api.GetAsync(caller, runId, request.HttpContext.RequestAborted));
}

using FunctionsSync.Core.Api;
using FunctionsSync.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Http;

/// <summary>
/// The HTTP API on Functions: one trigger takes every request under <c>/api</c> that the page triggers (dashboard,
/// OpenAPI) do not (the host ranks a catch-all last), finds its route in Core's table and runs the same
/// <see cref="ApiPipeline"/> and writer as the self-hosted runtime; a path of no route answers the same 404/405
/// problem. What the handler started (runs, resumed runs, full cycles) becomes Durable orchestrations before the answer
/// is written, so a 202 names only runs that will run.
/// </summary>
public sealed class ApiFunction(ApiPipeline pipeline, Orchestration.CollectedRunStarter starter, IServiceProvider services)
{
    public const string Name = "Api";

    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        var http = request.HttpContext;
        var path = request.Path.StartsWithSegments("/" + ApiRoutes.Prefix, out var rest) ? rest : request.Path;
        if (!ApiRouteMatcher.TryMatch(request.Method, path, out var route, out var values))
        {
            return new ApiActionResult(ApiFallback.Answer(request.Method, path.ToUriComponent().TrimStart('/')));
        }

        using var started = CollectingRunDispatcher.Begin();
        var result = await pipeline.InvokeAsync(http, route!, values, services);
        await starter.StartAsync(started, client, http.RequestAborted);
        return new ApiActionResult(result);
    }

    /// <summary>An answer of the pipeline, written by the one writer both hosts use.</summary>
    private sealed class ApiActionResult(ApiResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => ApiResponses.WriteAsync(context.HttpContext, result);
    }
}

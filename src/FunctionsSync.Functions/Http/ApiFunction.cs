using FunctionsSync.Core.Api;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Orchestration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Http;

/// <summary>
/// The HTTP API on Functions: one trigger takes every request under <c>/api</c> that the page triggers (dashboard,
/// OpenAPI) do not (the host ranks a catch-all last), finds its route in Core's table and runs the same
/// <see cref="ApiPipeline"/> and writer as the self-hosted runtime; a path of no route answers the same 404/405
/// problem. What the handler started (runs, resumed runs, full cycles) becomes Durable orchestrations before the answer
/// is written, so a 202 names only runs that will run.
/// </summary>
public sealed class ApiFunction(ApiPipeline pipeline, SyncActivities activities, IServiceProvider services, TimeProvider time)
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
        await StartAsync(started, client, http.RequestAborted);
        return new ApiActionResult(result);
    }

    private async Task StartAsync(CollectingRunDispatcher.Scope started, DurableTaskClient client, CancellationToken cancellationToken)
    {
        foreach (var (job, delay, resumed) in started.Runs)
        {
            var instanceId = SyncActivities.InstanceIdFor(job.RunId);
            if (resumed)
            {
                // The paused run's ConnectionSync instance waits for the event: raise it instead of starting a new one.
                await client.RaiseEventAsync(instanceId, OrchestrationNames.ResumeEvent, null, cancellationToken);
                continue;
            }

            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.ConnectionSync,
                activities.InputFor(job.RunId, job.ConnectionId),
                new StartOrchestrationOptions(InstanceId: instanceId, StartAt: delay > TimeSpan.Zero ? time.GetUtcNow() + delay : null),
                cancellationToken);
        }

        foreach (var cycle in started.Cycles)
        {
            // A crash before it starts leaves its runs queued; the next cycle dispatches stale queued runs again.
            await client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.SyncCycle, cycle, new StartOrchestrationOptions(InstanceId: cycle.Plan!.CycleId), cancellationToken);
        }
    }

    /// <summary>An answer of the pipeline, written by the one writer both hosts use.</summary>
    private sealed class ApiActionResult(ApiResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => ApiResponses.WriteAsync(context.HttpContext, result);
    }
}

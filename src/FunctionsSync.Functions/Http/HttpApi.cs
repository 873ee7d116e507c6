using System.Text.Json;
using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Orchestration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Http;

/// <summary>What every HTTP function shares: API-key authentication, raw bodies, Core's results as HTTP responses.</summary>
public sealed class HttpApi(ApiKeyAuthenticator authenticator, SyncActivities activities, TimeProvider time)
{
    /// <summary>Authenticates, then runs <paramref name="handle"/> with the caller; 401 problem without a valid key.</summary>
    public async Task<IActionResult> WithCallerAsync(HttpRequest request, Func<ApiCaller, Task<ApiResult>> handle)
    {
        var caller = await authenticator.AuthenticateAsync(request.Headers[ApiKeyAuthenticator.HeaderName], request.HttpContext.RequestAborted);
        return ToActionResult(request, caller is null ? Problems.Unauthorized() : await handle(caller));
    }

    /// <summary>
    /// Like <see cref="WithCallerAsync"/>, for handlers that queue runs: the runs they dispatch start as ConnectionSync
    /// orchestrations (instance id = run id) once the handler has answered.
    /// </summary>
    public Task<IActionResult> WithRunsAsync(HttpRequest request, DurableTaskClient client, Func<ApiCaller, Task<ApiResult>> handle) =>
        WithCallerAsync(request, async caller =>
        {
            using var scope = CollectingRunDispatcher.Begin();
            var result = await handle(caller);
            foreach (var (job, delay) in scope.Jobs)
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    OrchestrationNames.ConnectionSync,
                    activities.InputFor(job.RunId, job.ConnectionId),
                    new StartOrchestrationOptions(InstanceId: SyncActivities.InstanceIdFor(job.RunId), StartAt: delay > TimeSpan.Zero ? time.GetUtcNow() + delay : null),
                    request.HttpContext.RequestAborted);
            }

            return result;
        });

    /// <summary>For resume: the runs it re-queues get the <c>resume</c> event raised on their waiting ConnectionSync instance.</summary>
    public Task<IActionResult> WithResumedRunsAsync(HttpRequest request, DurableTaskClient client, Func<ApiCaller, Task<ApiResult>> handle) =>
        WithCallerAsync(request, async caller =>
        {
            using var scope = CollectingRunDispatcher.Begin();
            var result = await handle(caller);
            foreach (var (job, _) in scope.Jobs)
            {
                await client.RaiseEventAsync(SyncActivities.InstanceIdFor(job.RunId), OrchestrationNames.ResumeEvent, null, request.HttpContext.RequestAborted);
            }

            return result;
        });

    public static async Task<string?> BodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return body.Length == 0 ? null : body;
    }

    public static IActionResult ToActionResult(HttpRequest request, ApiResult result)
    {
        if (result.Location is not null && result.Status == StatusCodes.Status201Created)
        {
            request.HttpContext.Response.Headers.Location = result.Location;
        }

        return result.Body is null
            ? new StatusCodeResult(result.Status)
            : new ContentResult
            {
                StatusCode = result.Status,
                ContentType = result.IsProblem ? "application/problem+json" : "application/json",
                Content = JsonSerializer.Serialize(result.Body, ApiJson.Options),
            };
    }
}

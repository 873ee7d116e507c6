using System.Text.Json;
using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Orchestration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Functions.Http;

/// <summary>What every HTTP function shares: API-key authentication, raw bodies, Core's results as HTTP responses.</summary>
public sealed class HttpApi(ApiKeyAuthenticator authenticator, SyncActivities activities, TimeProvider time, IOptions<ApiOptions> options)
{
    private const string BodyKey = "FunctionsSync.Body";

    /// <summary>Authenticates, then runs <paramref name="handle"/> with the caller; 401 problem without a valid key.</summary>
    public async Task<IActionResult> WithCallerAsync(HttpRequest request, Func<ApiCaller, Task<ApiResult>> handle)
    {
        var caller = await authenticator.AuthenticateAsync(request.Headers[ApiKeyAuthenticator.HeaderName], request.HttpContext.RequestAborted);
        return ToActionResult(request, caller is null ? Problems.Unauthorized() : await CheckedBodyAsync(request) ?? await handle(caller));
    }

    /// <summary>For the route without an API key (the push path): the same body rules.</summary>
    public async Task<IActionResult> WithBodyAsync(HttpRequest request, Func<Task<ApiResult>> handle) =>
        ToActionResult(request, await CheckedBodyAsync(request) ?? await handle());

    /// <summary>
    /// The body rules both hosts apply (<see cref="ApiBodies"/>): 415 unless JSON, 413 beyond <c>Api:MaxBodyBytes</c>.
    /// The body is read here once and kept for <see cref="BodyAsync"/>.
    /// </summary>
    private async Task<ApiResult?> CheckedBodyAsync(HttpRequest request)
    {
        var (body, problem) = await ApiBodies.ReadRequestAsync(
            request.Method, request.ContentType, request.ContentLength, request.Headers.TransferEncoding.Count > 0, request.Body, options.Value.MaxBodyBytes, request.HttpContext.RequestAborted);
        request.HttpContext.Items[BodyKey] = body;
        return problem;
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

    /// <summary>The body <see cref="WithCallerAsync"/> (or <see cref="WithBodyAsync"/>) read and checked.</summary>
    public static Task<string?> BodyAsync(HttpRequest request) => Task.FromResult(request.HttpContext.Items[BodyKey] as string);

    public static IActionResult ToActionResult(HttpRequest request, ApiResult result)
    {
        foreach (var (name, value) in result.Headers())
        {
            request.HttpContext.Response.Headers[name] = value;
        }

        return result.Body switch
        {
            null => new StatusCodeResult(result.Status),
            RawBody raw => new ContentResult { StatusCode = result.Status, ContentType = raw.ContentType, Content = raw.Text },
            _ => new ContentResult
            {
                StatusCode = result.Status,
                ContentType = result.IsProblem ? "application/problem+json" : "application/json",
                Content = JsonSerializer.Serialize(result.Body, ApiJson.Options),
            },
        };
    }
}

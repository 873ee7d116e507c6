using FunctionsSync.Core.Api;
using FunctionsSync.Core.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Hosting.Api;

/// <summary>
/// <c>GET /api/events</c> held open: a <c>ready</c> event with the start position, then every event as the shared log
/// receives it (whichever replica wrote it), a heartbeat comment when quiet, until the client goes away.
/// </summary>
public static class EventStream
{
    public static async Task<IResult> StreamAsync(HttpContext http, EventsApi api, LiveEventFeed feed, IOptions<LiveEventOptions> options, TimeProvider time, string? organizationId, string? lastEventId)
    {
        var resumeFrom = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        if (api.TryOpen(ApiEndpoints.Caller(http), organizationId, resumeFrom, out var start) is { } problem)
        {
            return ApiEndpoints.ToResult(problem);
        }

        var response = http.Response;
        response.ContentType = ServerSentEvents.ContentType;
        response.Headers.CacheControl = "no-store";
        // Proxies (nginx) must not buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        var stopping = http.RequestAborted;
        await response.WriteAsync(ServerSentEvents.Retry(2000) + ServerSentEvents.Ready(start.Position), stopping);
        await response.Body.FlushAsync(stopping);
        var lastWrite = time.GetUtcNow();
        try
        {
            await foreach (var streamed in feed.FollowAsync(start.OrganizationId, start.Position, stopping))
            {
                if (streamed.Event is { } e)
                {
                    await response.WriteAsync(ServerSentEvents.Event(e.Type, streamed.Position, e.Data), stopping);
                }
                else if (time.GetUtcNow() - lastWrite >= options.Value.HeartbeatInterval)
                {
                    await response.WriteAsync(ServerSentEvents.Heartbeat(), stopping);
                }
                else
                {
                    continue;
                }

                await response.Body.FlushAsync(stopping);
                lastWrite = time.GetUtcNow();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Core.Sync.StorageUnavailableException)
        {
            // Too late for a 503: the stream ends and the client reconnects (after `retry`) from its last id.
        }

        return Results.Empty;
    }
}

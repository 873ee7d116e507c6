using FunctionsSync.Core.Access;
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
/// receives it (whichever replica wrote it), a heartbeat comment when quiet, until the client goes away, its key is
/// revoked (checked every <c>Events:KeyCheckInterval</c>; a last <c>revoked</c> event) or the stream reaches
/// <c>Events:MaxStreamLifetime</c> (a last <c>reconnect</c> event). A key holds at most <c>Events:MaxStreamsPerKey</c>
/// streams on one replica; more answer 429.
/// </summary>
public static class EventStream
{
    public static async Task<IResult> StreamAsync(
        HttpContext http, EventsApi api, LiveEventFeed feed, ApiKeyAuthenticator keys, EventStreamSlots slots, IOptions<LiveEventOptions> options, TimeProvider time,
        string? organizationId, string? lastEventId)
    {
        var resumeFrom = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        if (api.TryOpen(ApiEndpoints.Caller(http), organizationId, resumeFrom, out var start) is { } problem)
        {
            return ApiEndpoints.ToResult(problem);
        }

        var o = options.Value;
        var key = http.Request.Headers[ApiKeyAuthenticator.HeaderName].FirstOrDefault();
        using var slot = slots.TryTake(key, o.MaxStreamsPerKey);
        if (slot is null)
        {
            return ApiEndpoints.ToResult(Problems.TooManyRequests($"This key holds {o.MaxStreamsPerKey} event streams open already; close one first."));
        }

        var response = http.Response;
        response.ContentType = ServerSentEvents.ContentType;
        response.Headers.CacheControl = "no-store";
        // Proxies (nginx) must not buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        var stopping = http.RequestAborted;
        await response.WriteAsync(ServerSentEvents.Retry(2000) + ServerSentEvents.Ready(start.Position), stopping);
        await response.Body.FlushAsync(stopping);
        var opened = time.GetUtcNow();
        var (lastWrite, keyChecked, position) = (opened, opened, start.Position);
        try
        {
            await foreach (var streamed in feed.FollowAsync(start.OrganizationId, start.Position, stopping))
            {
                var now = time.GetUtcNow();
                position = streamed.Position;
                if (now - keyChecked >= o.KeyCheckInterval)
                {
                    // Checked again, so a revoked key stops receiving within the interval; it is told, and not to come back.
                    keyChecked = now;
                    if (await keys.AuthenticateAsync(key, stopping) is null)
                    {
                        await response.WriteAsync(ServerSentEvents.Event(LiveEventTypes.Revoked, position, "{}"), stopping);
                        break;
                    }
                }

                if (now - opened >= o.MaxStreamLifetime)
                {
                    // The stream ends; the client reconnects from here (its Last-Event-ID is this id).
                    await response.WriteAsync(ServerSentEvents.Event(LiveEventTypes.Reconnect, position, "{}"), stopping);
                    break;
                }

                if (streamed.Event is { } e)
                {
                    await response.WriteAsync(ServerSentEvents.Event(e.Type, streamed.Position, e.Data), stopping);
                }
                else if (now - lastWrite >= o.HeartbeatInterval)
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

            await response.Body.FlushAsync(stopping);
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

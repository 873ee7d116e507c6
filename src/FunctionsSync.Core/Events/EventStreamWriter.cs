using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Events;

/// <summary>
/// An event stream held open: a <c>ready</c> event with the start position, then every event as the shared log
/// receives it (whichever replica wrote it), a heartbeat comment when quiet, until the client goes away, its key is
/// revoked (checked every <c>Events:KeyCheckInterval</c>; a last <c>revoked</c> event) or the stream reaches
/// <c>Events:MaxStreamLifetime</c> (a last <c>reconnect</c> event). It holds one of the key's stream slots
/// (<c>Events:MaxStreamsPerKey</c>) until it ends.
/// </summary>
public sealed class EventStreamWriter(LiveEventFeed feed, ApiKeyAuthenticator keys, IOptions<LiveEventOptions> options, TimeProvider time)
{
    public async Task FollowAsync(HttpContext http, EventStreamStart start, string? key, IDisposable slot)
    {
        using var held = slot;
        var o = options.Value;
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

    }
}

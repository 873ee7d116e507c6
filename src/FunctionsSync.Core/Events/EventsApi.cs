using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Events;

/// <summary>
/// <c>GET /api/events</c>: who may stream what, and from where. The admin streams every organization's events (or one,
/// with <c>?organizationId=</c>), an organization key its own only; <c>Last-Event-ID</c> (header, or the query
/// parameter <c>lastEventId</c> for clients that cannot set headers) resumes after it. A host that holds responses open
/// streams (<see cref="EventStreamWriter"/>); one that cannot (<see cref="EventDelivery.HoldOpen"/> false: Functions)
/// answers the events so far as one finite stream.
/// </summary>
public sealed class EventsApi(LiveEventFeed feed, EventStreamSlots slots, EventStreamWriter writer, EventDelivery delivery, IOptions<LiveEventOptions> options)
{
    public async Task<ApiResult<StreamedBody>> StreamAsync(ApiCaller caller, string? organizationId, string? lastEventId, string? key, CancellationToken cancellationToken)
    {
        if (TryOpen(caller, organizationId, lastEventId, out var start) is { } problem)
        {
            return problem;
        }

        if (!delivery.HoldOpen)
        {
            return ApiResult.Ok(await ReadOnceAsync(start, cancellationToken));
        }

        var limit = options.Value.MaxStreamsPerKey;
        var slot = slots.TryTake(key, limit);
        return slot is null
            ? Problems.TooManyRequests($"This key holds {limit} event streams open already; close one first.")
            : ApiResult.Ok(new StreamedBody(ServerSentEvents.ContentType, http => writer.FollowAsync(http, start, key, slot)));
    }

    /// <summary>The stream's organization (null: all) and start position, or the problem that refuses it.</summary>
    public ApiResult? TryOpen(ApiCaller caller, string? organizationId, string? lastEventId, out EventStreamStart start)
    {
        start = new EventStreamStart(null, "");
        if (organizationId is not null && IdRules.OrganizationIdError(organizationId) is { } error)
        {
            return Problems.BadRequest("The query is not valid.", new Dictionary<string, string[]> { ["organizationId"] = [error] });
        }

        if (!caller.TryScope(organizationId, out var scope))
        {
            return Problems.Forbidden("An organization key streams its own organization's events only.");
        }

        if (!feed.TryStart(lastEventId, out var position))
        {
            return Problems.BadRequest("Last-Event-ID is not an event id of this service.", new Dictionary<string, string[]> { ["Last-Event-ID"] = ["Send back the id: of an event this stream sent."] });
        }

        start = new EventStreamStart(scope, position);
        return null;
    }

    /// <summary>The events so far as one finite stream; EventSource reconnects after <c>retry</c>, which makes it a long poll.</summary>
    private async Task<StreamedBody> ReadOnceAsync(EventStreamStart start, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder(ServerSentEvents.Retry(1000)).Append(ServerSentEvents.Ready(start.Position));
        var position = start.Position;
        foreach (var e in await feed.ReadAsync(start.OrganizationId, start.Position, cancellationToken))
        {
            position = string.CompareOrdinal(e.Id, position) > 0 ? e.Id : position;
            text.Append(ServerSentEvents.Event(e.Type, position, e.Data));
        }

        var body = text.ToString();
        return new StreamedBody(ServerSentEvents.ContentType, http => http.Response.WriteAsync(body, http.RequestAborted));
    }
}

public sealed record EventStreamStart(string? OrganizationId, string Position);

/// <summary>Whether this host holds an event stream open (the self-hosted runtime) or answers what there is and ends (Functions).</summary>
public sealed record EventDelivery(bool HoldOpen);

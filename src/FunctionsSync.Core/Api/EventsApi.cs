using FunctionsSync.Core.Access;
using FunctionsSync.Core.Events;

namespace FunctionsSync.Core.Api;

/// <summary>
/// <c>GET /api/events</c>: who may stream what, and from where. The admin streams every organization's events (or one,
/// with <c>?organizationId=</c>), an organization key its own only; <c>Last-Event-ID</c> (header, or the query
/// parameter <c>lastEventId</c> for clients that cannot set headers) resumes after it.
/// </summary>
public sealed class EventsApi(LiveEventFeed feed)
{
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

    /// <summary>For a host that cannot hold a response open: the events so far as one finite stream; EventSource reconnects after <c>retry</c>.</summary>
    public async Task<ApiResult> ReadOnceAsync(ApiCaller caller, string? organizationId, string? lastEventId, CancellationToken cancellationToken)
    {
        if (TryOpen(caller, organizationId, lastEventId, out var start) is { } problem)
        {
            return problem;
        }

        var text = new System.Text.StringBuilder(ServerSentEvents.Retry(1000)).Append(ServerSentEvents.Ready(start.Position));
        var position = start.Position;
        foreach (var e in await feed.ReadAsync(start.OrganizationId, start.Position, cancellationToken))
        {
            position = string.CompareOrdinal(e.Id, position) > 0 ? e.Id : position;
            text.Append(ServerSentEvents.Event(e.Type, position, e.Data));
        }

        return ApiResult.Ok(new RawBody(ServerSentEvents.ContentType, text.ToString()));
    }
}

public sealed record EventStreamStart(string? OrganizationId, string Position);

using FunctionsSync.Core.Access;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Resets;

/// <summary>
/// <c>POST /api/connections/{id}/reset {entityTypes}</c>: rewinds feeds' cursors to a full read, so the next run of
/// each (scheduled or triggered) reads everything the marketplace has for it, as after a mapping fixed or a store
/// restored from a backup. Stored records stay and stay readable; the full read writes only what differs. A run in
/// flight holds pages of those cursors, so it is refused with 409 until that run ends (or is cancelled).
/// </summary>
public sealed class CursorResetApi(ConnectionAccess access, ISyncStateStore state, IMarketplaceAdapterRegistry adapters, IActivityLog activity, TimeProvider time)
{
    public async Task<ApiResult<CursorResetView>> ResetAsync(ApiCaller caller, string connectionId, string? body, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryRead<ResetCursorsRequest>(body, out var request, out var problem, allowEmpty: true))
        {
            return problem;
        }

        if (!FeedSelection.TryRead(request.EntityTypes, out var asked, out var named))
        {
            return named;
        }

        if (await access.FindAsync(caller, connectionId, cancellationToken) is not { } connection)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        if (!FeedSelection.TryResolve(asked, connection.Marketplace, adapters.Get(connection.Marketplace).SupportedEntityTypes, out var types, out var unsupported))
        {
            return unsupported;
        }

        var reset = await state.ResetCursorsAsync(connection.Id, types, cancellationToken);
        if (!reset.Done)
        {
            return Problems.Conflict(reset.ActiveRunId is { } run
                ? $"Run {run} of connection {connection.Id} is in flight and holds its cursors; wait for it to end or cancel it, then reset."
                : $"A runner is starting a run of connection {connection.Id}; reset once it has ended.");
        }

        var wire = types.Select(t => t.ToWire()).ToList();
        var now = time.GetUtcNow();
        await activity.AppendAsync(new ActivityEntry(connection.Id, now, caller.Actor, "cursors.reset", string.Join(", ", wire), "The next run of each reads everything."), cancellationToken);
        return ApiResult.Ok(new CursorResetView(connection.Id, wire, now));
    }
}

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

        var asked = new List<EntityType>();
        foreach (var name in request.EntityTypes ?? [])
        {
            if (!EntityTypes.TryParse(name, out var type))
            {
                return Problems.BadRequest($"Unknown entity type '{name}'.", new Dictionary<string, string[]> { ["entityTypes"] = ["orders, customers, products or prices"] });
            }

            asked.Add(type.Value);
        }

        if (await access.FindAsync(caller, connectionId, cancellationToken) is not { } connection)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        var supported = adapters.Get(connection.Marketplace).SupportedEntityTypes;
        if (asked.Where(t => !supported.Contains(t)).Select(t => (EntityType?)t).FirstOrDefault() is { } unsupported)
        {
            return Problems.BadRequest(
                $"{connection.Marketplace} has no {unsupported.ToWire()} feed.",
                new Dictionary<string, string[]> { ["entityTypes"] = [string.Join(", ", EntityTypes.InRunOrder([.. supported]).Select(t => t.ToWire()))] });
        }

        var types = EntityTypes.InRunOrder(asked.Count > 0 ? [.. asked.Distinct()] : [.. supported]);
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

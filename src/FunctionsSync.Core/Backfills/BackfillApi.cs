using FunctionsSync.Core.Access;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Backfills;

/// <summary>
/// <c>POST /api/connections/{id}/backfill {entityTypes, from, to}</c>: reads the records changed in a date range again,
/// as a run of its own on the connection's backfill lane (<see cref="Sync.SyncLane.Backfill"/>), beside its scheduled
/// runs: one backfill per connection at a time (a second is 409), stepping aside whenever a run of the main lane is in
/// flight, storing only what differs (ingestion is idempotent; an older version never overwrites a newer one) and
/// moving no feed's high-water mark. Stored records stay readable throughout.
/// </summary>
public sealed class BackfillApi(ConnectionAccess access, IMarketplaceAdapterRegistry adapters, RunLauncher launcher, IActivityLog activity, TimeProvider time)
{
    public async Task<ApiResult<BackfillAccepted>> StartAsync(ApiCaller caller, string connectionId, string? body, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryRead<BackfillRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        if (!FeedSelection.TryRead(request.EntityTypes, out var asked, out var named))
        {
            return named;
        }

        var now = time.GetUtcNow();
        if (request.From is not { } from)
        {
            return Problems.BadRequest("from is required: the earliest change time to read again.", new Dictionary<string, string[]> { ["from"] = ["an ISO 8601 date-time"] });
        }

        // A range reaching past now reads up to now: what changes later is the schedule's.
        var to = request.To is { } asTo && asTo < now ? asTo : now;
        if (from >= to)
        {
            return Problems.BadRequest($"from ({from:O}) must be earlier than to ({to:O}).", new Dictionary<string, string[]> { ["from"] = ["earlier than to and than now"] });
        }

        if (await access.FindAsync(caller, connectionId, cancellationToken) is not { } connection)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        if (!FeedSelection.TryResolve(asked, connection.Marketplace, adapters.Get(connection.Marketplace).SupportedEntityTypes, out var types, out var unsupported))
        {
            return unsupported;
        }

        var window = new BackfillWindow(from, to);
        var launched = await launcher.LaunchBackfillAsync(connection, types, window, cancellationToken);
        if (launched.Run is not { } run)
        {
            return Problems.Conflict($"Backfill {launched.ConflictingRunId} of connection {connection.Id} is in flight; a connection has one backfill at a time. See /api/runs/{launched.ConflictingRunId}.");
        }

        var wire = types.Select(t => t.ToWire()).ToList();
        await activity.AppendAsync(
            new ActivityEntry(connection.Id, now, caller.Actor, "backfill.queued", string.Join(", ", wire), $"Changes from {from:O} to {to:O}, run {run.RunId}."),
            cancellationToken);
        return ApiResult.Accepted(new BackfillAccepted(run.RunId, connection.Id, wire, from, to, $"/api/runs/{run.RunId}"));
    }
}

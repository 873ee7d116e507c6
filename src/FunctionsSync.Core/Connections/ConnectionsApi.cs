using FunctionsSync.Core.Access;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Outbound;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Connections;

/// <summary>The <c>/api/connections</c> routes.</summary>
public sealed class ConnectionsApi(
    IConnectionStore connections,
    ConnectionAccess access,
    ISyncStateStore state,
    IRecordQuery records,
    IReceiptStore receipts,
    RunCancellation cancellation,
    MarketplaceTargets targets,
    IMarketplaceAdapterRegistry adapters,
    SyncHealthReader healthReader,
    TimeProvider time)
{
    private const int StatusWindow = 20;
    private const int DefaultRunPage = 20;
    private const int MaxRunPage = 100;
    private const int DefaultConnectionPage = 100;
    private const int MaxConnectionPage = 500;

    /// <summary>Store pages a filtered list reads for one answer before it hands back what it has, with a token.</summary>
    private const int MaxFilteredReads = 5;

    public async Task<ApiResult<ConnectionView>> RegisterAsync(ApiCaller caller, string? body, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryRead<RegisterConnectionRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        var registration = new ConnectionRegistration(
            request.OrganizationId?.Trim() ?? caller.OrganizationId ?? "",
            request.Marketplace?.Trim().ToLowerInvariant() ?? "",
            request.ExternalStoreId?.Trim() ?? "",
            request.Name?.Trim() ?? "",
            request.Credentials ?? [],
            request.Settings);
        var errors = new Dictionary<string, string[]>(ConnectionValidation.Validate(registration, adapters, targets.Policy));
        if (!caller.CanSee(registration.OrganizationId))
        {
            errors["organizationId"] = ["An organization key registers connections of its own organization only."];
        }

        if (errors.Count > 0)
        {
            return Problems.BadRequest("The connection is not valid.", errors);
        }

        var result = await connections.RegisterAsync(registration, cancellationToken);
        var connection = result.Connection;
        if (!result.Created && connection.DeletedAt is not null)
        {
            connection = await connections.UpdateAsync(connection.Id, c => c.RestoredBy(registration, time.GetUtcNow()), cancellationToken) ?? connection;
        }

        var view = ConnectionView.From(connection, result.IssuedSyncToken, await state.GetConnectionStateAsync(connection.Id, cancellationToken), await healthReader.ReadAsync(cancellationToken));
        return ApiResult.CreatedOrExisting(result.Created, view, $"/api/connections/{connection.Id}");
    }

    /// <summary>
    /// <c>GET /api/connections</c>: a page of the caller's connections in index order (organization, then id). The
    /// health filter is applied as connections are read, over at most <see cref="MaxFilteredReads"/> pages' worth of
    /// them, so a filtered page may come back short, or empty with a token: a client follows the token until there is
    /// none. A request reads a bounded number of connections and their states, whatever their number.
    /// </summary>
    public async Task<ApiResult<ConnectionListView>> ListAsync(ApiCaller caller, string? organizationId, string? health, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxConnectionPage)
        {
            return Problems.OutOfRange("pageSize", 1, MaxConnectionPage);
        }

        SyncHealth? wanted = null;
        if (health is not null)
        {
            if (!SyncHealthRule.TryParse(health, out var parsed))
            {
                return Problems.BadRequest($"Unknown health '{health}'.", new Dictionary<string, string[]> { ["health"] = [$"One of {SyncHealthRule.WireNames}."] });
            }

            wanted = parsed;
        }

        if (!caller.TryScope(organizationId, out var scope))
        {
            return ApiResult.Ok(new ConnectionListView([]));
        }

        var size = pageSize ?? DefaultConnectionPage;
        var context = await healthReader.ReadAsync(cancellationToken);
        var views = new List<ConnectionView>();
        var token = continuationToken;
        var reads = 0;
        do
        {
            ConnectionPage page;
            try
            {
                // Never more than the page still holds: a page of matches is never cut, so no match is skipped.
                page = await connections.ListPageAsync(scope, size - views.Count, token, cancellationToken);
            }
            catch (FormatException)
            {
                return Problems.BadContinuation();
            }

            var listed = page.Items.Where(c => c.DeletedAt is null).ToList();
            var states = new ConnectionSyncState?[listed.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, listed.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (i, ct) => states[i] = await state.GetConnectionStateAsync(listed[i].Id, ct));
            views.AddRange(listed.Select((c, i) => ConnectionView.From(c, null, states[i], context)).Where(v => wanted is null || v.Health == wanted));
            token = page.ContinuationToken;
        }
        while (token is not null && views.Count < size && wanted is not null && ++reads < MaxFilteredReads);

        return ApiResult.Ok(new ConnectionListView(views, token));
    }

    public async Task<ApiResult<ConnectionView>> GetAsync(ApiCaller caller, string connectionId, CancellationToken cancellationToken)
    {
        if (await access.FindAsync(caller, connectionId, cancellationToken) is not { } connection)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        var now = time.GetUtcNow();
        var syncState = await state.GetConnectionStateAsync(connection.Id, cancellationToken);
        var lastRuns = await state.ListRunsAsync(connection.Id, 1, cancellationToken);
        var cursors = await state.GetCursorsAsync(connection.Id, SyncLane.Main, cancellationToken);
        var counts = await records.CountAsync(connection.Id, cancellationToken);
        return ApiResult.Ok(ConnectionView.From(connection, null, syncState, await healthReader.ReadAsync(cancellationToken)) with
        {
            LastRun = lastRuns.Count > 0 ? RunView.From(lastRuns[0], now) : null,
            Records = new RecordCountsView(counts[EntityType.Orders], counts[EntityType.Products], counts[EntityType.Customers], counts[EntityType.Prices]),
            Cursors = [.. cursors.Values.OrderBy(c => c.EntityType).Select(c => new CursorView(c.EntityType.ToWire(), c.HighWaterMark, c.LastSyncedAt, c.RunId is not null && !c.Completed))],
        });
    }

    /// <summary><c>GET /api/connections/{id}/runs</c>: the connection's run history, newest first, paged (a key range of its partition).</summary>
    public async Task<ApiResult<RunHistoryView>> RunsAsync(ApiCaller caller, string connectionId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxRunPage)
        {
            return Problems.OutOfRange("pageSize", 1, MaxRunPage);
        }

        if (await access.FindAsync(caller, connectionId, cancellationToken) is not { } connection)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        RunPage page;
        try
        {
            page = await state.ListRunsPageAsync(connection.Id, pageSize ?? DefaultRunPage, continuationToken, cancellationToken);
        }
        catch (FormatException)
        {
            return Problems.BadContinuation();
        }

        var now = time.GetUtcNow();
        return ApiResult.Ok(new RunHistoryView([.. page.Items.Select(r => RunView.From(r, now))], page.ContinuationToken));
    }

    /// <summary><c>GET /api/connections/{id}/status</c>: the summary a merchant-facing screen shows.</summary>
    public async Task<ApiResult<ConnectionStatusView>> StatusAsync(ApiCaller caller, string connectionId, CancellationToken cancellationToken)
    {
        if (await access.FindAsync(caller, connectionId, cancellationToken) is not { } connection)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        var runs = await state.ListRunsAsync(connection.Id, StatusWindow, cancellationToken);
        var finished = runs.Where(r => r.Status.IsFinal()).ToList();
        var orders = (await records.CountAsync(connection.Id, cancellationToken))[EntityType.Orders];
        var imported = await receipts.CountAsync(connection.Id, cancellationToken);
        var syncStatus = SyncHistoryStatus.Of(finished);
        return ApiResult.Ok(new ConnectionStatusView(
            LastSyncAt: finished.FirstOrDefault(r => r.Status is RunStatus.Succeeded or RunStatus.Partial)?.FinishedAt,
            ImportedOrders: orders + imported.Success,
            SyncStatus: syncStatus == "success" && imported.Failed + imported.RateLimited > 0 ? "partial" : syncStatus,
            RateLimitedCount: finished.Count(r => r.ErrorKind == Adapters.MarketplaceErrorKind.RateLimited) + imported.RateLimited,
            Receipts: new ReceiptCountsView(imported.Success, imported.Failed, imported.RateLimited, imported.Pending),
            Freshness: [.. runs.SelectMany(r => r.Entities).Where(e => e.Lag is not null).GroupBy(e => e.EntityType).OrderBy(g => g.Key)
                .Select(g => FreshnessView.From(g.Key.ToWire(), g.Aggregate(LagHistogram.Empty, (sum, e) => sum.Merge(e.Lag!)))).OfType<FreshnessView>()],
            StaleSince: connection.StaleSince));
    }

    public async Task<ApiResult<ConnectionView>> PatchAsync(ApiCaller caller, string connectionId, string? body, CancellationToken cancellationToken)
    {
        if (await access.FindAsync(caller, connectionId, cancellationToken) is not { } connection)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        if (!ApiJson.TryRead<PatchConnectionRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        var change = new ConnectionChange(request.Enabled, request.Priority, request.IntervalMinutes, request.Credentials, request.Settings);
        var errors = change.RangeErrors().ToDictionary(e => e.Field, e => e.Message);
        foreach (var (field, message) in ConnectionValidation.ValidateSettings(connection.Marketplace, adapters.TryGet(connection.Marketplace, out var adapter) ? adapter.Requirements : null, request.Credentials, request.Settings, targets.Policy))
        {
            errors[field] = message;
        }

        if (errors.Count > 0)
        {
            return Problems.BadRequest("The change is not valid.", errors);
        }

        // Applied to the row as stored now (a run's end may be writing its health).
        var updated = await connections.UpdateAsync(connection.Id, c => change.ApplyTo(c, time.GetUtcNow()), cancellationToken);
        return updated is null or { DeletedAt: not null }
            ? ConnectionAccess.NotFound(connectionId)
            : ApiResult.Ok(ConnectionView.From(updated, null, await state.GetConnectionStateAsync(updated.Id, cancellationToken), await healthReader.ReadAsync(cancellationToken)));
    }

    /// <summary>
    /// <c>POST /api/connections/{id}/sync-token</c>: a new receipt-import token, shown this once; the old one is refused
    /// from now on (the token index names the connection, which must still carry the token).
    /// </summary>
    public async Task<ApiResult<RotatedSyncToken>> RotateSyncTokenAsync(ApiCaller caller, string connectionId, CancellationToken cancellationToken)
    {
        if (await access.FindAsync(caller, connectionId, cancellationToken) is null)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        // Shown in this answer only: what is stored is its hash.
        var token = ConnectionIds.NewSyncToken();
        var hash = ConnectionIds.HashSyncToken(token);
        var updated = await connections.UpdateAsync(connectionId, c => c.DeletedAt is not null ? null : c with { SyncTokenHash = hash, UpdatedAt = time.GetUtcNow() }, cancellationToken);
        return updated is null || updated.SyncTokenHash != hash ? ConnectionAccess.NotFound(connectionId) : ApiResult.Ok(new RotatedSyncToken(connectionId, token));
    }

    public async Task<ApiResult<NoBody>> DeleteAsync(ApiCaller caller, string connectionId, CancellationToken cancellationToken)
    {
        if (await access.FindAsync(caller, connectionId, cancellationToken) is not { } connection)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        // Marked deleted first, its credentials erased (registering it again needs new ones); then its active run is
        // cancelled (at once, or by its runner after the page in flight), whose runner so finds why: the deletion.
        var now = time.GetUtcNow();
        await connections.UpdateAsync(connection.Id, c => c with { Enabled = false, DeletedAt = now, UpdatedAt = now, Credentials = new Dictionary<string, string>() }, cancellationToken);
        if ((await state.GetConnectionStateAsync(connection.Id, cancellationToken))?.ActiveRunId is { } runId
            && await state.GetRunAsync(runId, cancellationToken) is { } run && !run.Status.IsFinal())
        {
            await cancellation.CancelAsync(runId, RunCancellation.ConnectionDeleted, caller.Actor, cancellationToken);
        }

        return ApiResult.NoContent;
    }
}

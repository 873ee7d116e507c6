using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Runs;

/// <summary>
/// <c>GET /api/runs?status=&amp;organizationId=&amp;take=</c>: runs across connections by status. <c>active</c> (the
/// default), <c>queued</c>, <c>running</c>, <c>paused</c>: every connection's active run; a final status
/// (<c>succeeded</c>, <c>partial</c>, <c>failed</c>, <c>cancelled</c>): each connection's last run when it ended so.
/// Reads the caller's connection rows and the connection-state index (both grow with connections, not with history),
/// then at most <c>take</c> runs by their keys; newest first.
/// </summary>
public sealed class RunListApi(IConnectionStore connections, ISyncStateStore state, TimeProvider time)
{
    private const int DefaultTake = 50;
    private const int MaxTake = 200;

    /// <summary>The <c>status</c> values this list takes.</summary>
    public static IReadOnlyList<string> StatusFilters { get; } = ["active", "queued", "running", "paused", "succeeded", "partial", "failed", "cancelled"];

    public async Task<ApiResult<RunListView>> ListAsync(ApiCaller caller, string? status, string? organizationId, int? take, CancellationToken cancellationToken)
    {
        if (take is < 1 or > MaxTake)
        {
            return Problems.OutOfRange("take", 1, MaxTake);
        }

        RunStatus? wanted = null;
        var active = string.IsNullOrEmpty(status) || status == "active";
        if (!active)
        {
            wanted = Enum.GetValues<RunStatus>().Where(s => ApiJson.WireName(s) == status).Cast<RunStatus?>().FirstOrDefault();
            if (wanted is null || wanted == RunStatus.Interrupted)
            {
                return Problems.BadRequest($"Unknown status '{status}'.", new Dictionary<string, string[]> { ["status"] = [$"One of {string.Join(", ", StatusFilters)}."] });
            }
        }

        if (!caller.TryScope(organizationId, out var scope))
        {
            return ApiResult.Ok(new RunListView([]));
        }

        var visible = (await connections.ListAsync(scope, cancellationToken)).Where(c => c.DeletedAt is null).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var states = (await state.ListConnectionStatesAsync(cancellationToken)).Values.Where(s => visible.Contains(s.ConnectionId));
        var final = wanted is { } w && w.IsFinal();
        var candidates = final
            ? states.Where(s => s.LastRunStatus == wanted && s.LastRunId is not null).OrderByDescending(s => s.LastRunFinishedAt).Select(s => s.LastRunId!)
            : states.Where(s => s.ActiveRunId is not null).Select(s => s.ActiveRunId!);
        var runs = await Task.WhenAll(candidates.Take(take ?? DefaultTake).Select(id => state.GetRunAsync(id, cancellationToken)));
        var now = time.GetUtcNow();
        var matching = runs
            .OfType<SyncRun>()
            .Where(r => final ? r.Status == wanted : !r.Status.IsFinal() && (wanted is null || r.Status == wanted))
            .OrderByDescending(r => r.UpdatedAt)
            .Select(r => RunView.From(r, now))
            .ToList();
        return ApiResult.Ok(new RunListView(matching));
    }
}

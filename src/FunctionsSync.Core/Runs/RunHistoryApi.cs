using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Runs;

/// <summary>
/// <c>GET /api/run-history?status=&amp;organizationId=&amp;pageSize=&amp;continuationToken=</c>: ended runs across
/// connections, newest first (by start), paged, optionally of one final status. One key range of the store's run
/// history index per page, whatever the number of connections or runs; the runs in flight are <c>GET /api/runs</c>'s.
/// </summary>
public sealed class RunHistoryApi(ISyncStateStore state, TimeProvider time)
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    /// <summary>The <c>status</c> values this list takes: the final ones.</summary>
    public static IReadOnlyList<string> StatusFilters { get; } =
        [.. Enum.GetValues<RunStatus>().Where(s => s.IsFinal()).Select(ApiJson.WireName)];

    public async Task<ApiResult<RunHistoryView>> ListAsync(ApiCaller caller, string? status, string? organizationId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize)
        {
            return Problems.OutOfRange("pageSize", 1, MaxPageSize);
        }

        RunStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            wanted = Enum.GetValues<RunStatus>().Where(s => s.IsFinal() && ApiJson.WireName(s) == status).Cast<RunStatus?>().FirstOrDefault();
            if (wanted is null)
            {
                return Problems.BadRequest($"Unknown status '{status}'.", new Dictionary<string, string[]> { ["status"] = [$"One of {string.Join(", ", StatusFilters)}."] });
            }
        }

        if (!caller.TryScope(organizationId, out var scope))
        {
            return ApiResult.Ok(new RunHistoryView([], null));
        }

        RunPage page;
        try
        {
            page = await state.ListEndedRunsAsync(scope, wanted, pageSize ?? DefaultPageSize, continuationToken, cancellationToken);
        }
        catch (FormatException)
        {
            return Problems.BadContinuation();
        }

        var now = time.GetUtcNow();
        return ApiResult.Ok(new RunHistoryView([.. page.Items.Select(r => RunView.From(r, now))], page.ContinuationToken));
    }
}

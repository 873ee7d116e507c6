using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Connections;

/// <summary><c>GET /api/connections/{id}/activity</c>: who did what to the connection's data, newest first.</summary>
public sealed class ActivityApi(IActivityLog log, ConnectionAccess access)
{
    public async Task<ApiResult<ActivityListView>> ListAsync(ApiCaller caller, string connectionId, int? take, CancellationToken cancellationToken)
    {
        if (take is < 1 or > 500)
        {
            return Problems.OutOfRange("take", 1, 500);
        }

        if (await access.FindAsync(caller, connectionId, cancellationToken) is null)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        var entries = await log.ListAsync(connectionId, take ?? 100, cancellationToken);
        return ApiResult.Ok(new ActivityListView([.. entries.Select(e => new ActivityView(e.At, e.Actor, e.Action, e.Subject, e.Details))]));
    }
}

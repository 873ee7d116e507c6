using FunctionsSync.Core.Access;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Api;

public sealed class RunsApi(ISyncStateStore state, TimeProvider time)
{
    public async Task<ApiResult> GetAsync(ApiCaller caller, string runId, CancellationToken cancellationToken)
    {
        var run = await state.GetRunAsync(runId, cancellationToken);
        return run is null || !caller.CanSee(run.OrganizationId)
            ? Problems.NotFound($"Run {runId} does not exist.")
            : new ApiResult(200, RunView.From(run, time.GetUtcNow()));
    }
}

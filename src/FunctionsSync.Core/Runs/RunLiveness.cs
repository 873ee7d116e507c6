using FunctionsSync.Core.Leasing;

namespace FunctionsSync.Core.Runs;

/// <summary>
/// Whether a running run has a runner: its connection's lease, renewed at every checkpoint, names it (or no run yet)
/// and has not expired. A run whose runner died stays <c>running</c> at its last checkpoint until another runner
/// takes the lease over and resumes it; until then it is <see cref="Stale"/>.
/// </summary>
/// <param name="LastHeartbeatAt">The later of its last checkpoint and the last renewal of a lease holding it.</param>
public sealed record RunLiveness(DateTimeOffset LastHeartbeatAt, bool Stale)
{
    /// <returns>Null unless the run is running.</returns>
    public static RunLiveness? Of(SyncRun run, SyncLease? lease, TimeSpan leaseDuration, DateTimeOffset now)
    {
        if (run.Status != RunStatus.Running)
        {
            return null;
        }

        var holds = lease is not null && (lease.ActiveRunId is null || lease.ActiveRunId == run.RunId);
        var renewed = holds ? lease!.ExpiresAt - leaseDuration : DateTimeOffset.MinValue;
        return new RunLiveness(renewed > run.UpdatedAt ? renewed : run.UpdatedAt, !holds || lease!.ExpiresAt <= now);
    }
}

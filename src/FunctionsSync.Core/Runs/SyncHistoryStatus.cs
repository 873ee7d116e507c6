using FunctionsSync.Core.Adapters;

namespace FunctionsSync.Core.Runs;

/// <summary>A connection's sync status from its recent finished runs (newest first), as a merchant-facing screen shows it.</summary>
public static class SyncHistoryStatus
{
    /// <summary>
    /// pending: no runs; success: none of them failed or was rate limited and the last succeeded; failed: the last
    /// failed and none of them succeeded; otherwise partial.
    /// </summary>
    public static string Of(IReadOnlyList<SyncRun> finishedNewestFirst)
    {
        if (finishedNewestFirst.Count == 0)
        {
            return "pending";
        }

        var last = finishedNewestFirst[0];
        if (last.Status == RunStatus.Succeeded && finishedNewestFirst.All(r => r.Status != RunStatus.Failed && r.ErrorKind != MarketplaceErrorKind.RateLimited))
        {
            return "success";
        }

        if (last.Status == RunStatus.Failed && finishedNewestFirst.All(r => r.Status != RunStatus.Succeeded))
        {
            return "failed";
        }

        return "partial";
    }
}

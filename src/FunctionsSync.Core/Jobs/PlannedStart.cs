using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Jobs;

/// <summary>What became of a scheduled job at its start: its run, recorded now, or why it was dropped.</summary>
public sealed record PlannedStart(SyncRun? Run, string? DroppedBecause)
{
    public static PlannedStart Started(SyncRun run) => new(run, null);

    public static PlannedStart Dropped(string reason) => new(null, reason);
}

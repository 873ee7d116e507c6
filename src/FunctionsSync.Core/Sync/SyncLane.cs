using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// A connection's runs go one at a time on each lane, and the lanes side by side: scheduled, triggered and notified
/// runs on <see cref="Main"/>, an operator's backfill on <see cref="Backfill"/>. Each lane has its own lease and its
/// own cursors in the connection's partition, so a backfill neither waits for nor holds back the schedule.
/// </summary>
public enum SyncLane
{
    Main,

    /// <summary>A date range read again (<see cref="SyncMode.Backfill"/>); yields to a run on <see cref="Main"/>.</summary>
    Backfill,
}

public static class SyncLanes
{
    /// <summary>The lane a run of <paramref name="mode"/> goes on.</summary>
    public static SyncLane Of(SyncMode mode) => mode == SyncMode.Backfill ? SyncLane.Backfill : SyncLane.Main;
}

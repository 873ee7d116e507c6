namespace FunctionsSync.Core.Runs;

public enum SyncMode
{
    /// <summary>Records changed since the cursor, minus a small overlap window for marketplace clock skew.</summary>
    Incremental,

    /// <summary>Everything, ignoring the cursor; still writes only what changed.</summary>
    Full,

    /// <summary>
    /// Records changed within the run's <see cref="SyncRun.Window"/>, read again on the connection's backfill lane
    /// (<see cref="Sync.SyncLane.Backfill"/>) beside its other runs; it moves no feed's high-water mark.
    /// </summary>
    Backfill,
}

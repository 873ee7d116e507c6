namespace FunctionsSync.Core.Runs;

/// <summary>
/// A run's percent complete and the time it has spent running. The percent weights every entity type by its total:
/// the total the marketplace reported once the type started, and for a type not started yet the mean of the started
/// types' totals (an estimate, so the next type's start does not read as a step back). It never goes below what an
/// earlier checkpoint showed (<see cref="SyncRun.ProgressFloor"/>), and reads 100 only once the run has succeeded.
/// </summary>
public static class RunProgress
{
    /// <summary>The highest a run that has not ended may show.</summary>
    public const double Unfinished = 99.9;

    public static double PercentOf(SyncRun run)
    {
        if (run.Status is RunStatus.Succeeded or RunStatus.Partial)
        {
            return 100;
        }

        var (done, expected) = Work(run);
        var computed = expected > 0 ? Math.Min(Unfinished, Math.Round(100.0 * done / expected, 1)) : 0;
        return Math.Max(run.ProgressFloor, computed);
    }

    /// <summary>Records processed or skipped so far, and how many the whole run is expected to cover.</summary>
    public static (long Done, long Expected) Work(SyncRun run)
    {
        var counted = run.Entities.Where(e => e.State != EntityRunState.Unsupported).ToList();
        var started = counted.Where(e => e.State != EntityRunState.Pending || e.Counters.Total > 0).ToList();
        var estimate = started.Count > 0 ? (long)Math.Ceiling(started.Average(e => (double)e.Counters.Total)) : 0;
        long done = 0, expected = 0;
        foreach (var e in counted)
        {
            done += e.Counters.Processed + e.Counters.Skipped;
            expected += started.Contains(e) ? e.Counters.Total : estimate;
        }

        return (done, Math.Max(expected, done));
    }

    /// <summary>Milliseconds spent running at <paramref name="now"/>: closed stretches plus the one in progress.</summary>
    public static long ActiveMs(SyncRun run, DateTimeOffset now)
    {
        var open = run.Status == RunStatus.Running && run.RunningSince is { } since ? Math.Max(0, (long)(now - since).TotalMilliseconds) : 0;
        return (run.ActiveMs ?? 0) + open;
    }

    /// <summary>The run as a checkpoint stores it: its progress floor raised, and a running stretch that ended closed.</summary>
    public static SyncRun Settled(SyncRun run)
    {
        var floor = Math.Max(run.ProgressFloor, run.Status.IsFinal() ? 0 : PercentOf(run));
        run = floor > run.ProgressFloor ? run with { ProgressFloor = Math.Min(Unfinished, floor) } : run;
        return run.Status != RunStatus.Running && run.RunningSince is { } since
            ? run with { ActiveMs = (run.ActiveMs ?? 0) + Math.Max(0, (long)(run.UpdatedAt - since).TotalMilliseconds), RunningSince = null }
            : run;
    }

    /// <summary>
    /// A runner starts (or takes over) the run at <paramref name="now"/>. A stretch left open by a runner that died is
    /// closed at its last checkpoint: the time nobody ran it is not counted.
    /// </summary>
    public static SyncRun StartedRunning(SyncRun run, DateTimeOffset now)
    {
        var active = run.ActiveMs ?? 0;
        if (run.RunningSince is { } since)
        {
            active += Math.Max(0, (long)(run.UpdatedAt - since).TotalMilliseconds);
        }

        return run with { Status = RunStatus.Running, StartedAt = run.StartedAt ?? now, UpdatedAt = now, RunningSince = now, ActiveMs = active };
    }
}

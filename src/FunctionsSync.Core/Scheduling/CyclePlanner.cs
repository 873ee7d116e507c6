using System.Collections.Concurrent;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Scheduling;

/// <summary>
/// One cycle: pick the due connections and give each a job. A scheduled cycle only plans its jobs (a run id each) and
/// the run is recorded when the job starts, so planning 10,000 connections costs 10,000 queue messages and nothing
/// else; a full cycle (asked for by a person, who expects to see its runs at once) records each run as queued first.
/// The self-hosted runtime dispatches the jobs to the job queue spread over time (<see cref="RunAsync"/>); the
/// Functions app starts one sub-orchestration each.
/// </summary>
public sealed class CyclePlanner(
    IConnectionStore connections,
    ISyncStateStore state,
    RunLauncher launcher,
    IRunDispatcher dispatcher,
    IScheduleStore schedule,
    IOptions<SchedulerOptions> options,
    TimeProvider time)
{
    /// <param name="kind">Due connections, incremental, or every enabled connection in full mode.</param>
    /// <param name="organizationId">Restrict to one organization (an organization key's run-full).</param>
    /// <param name="spread">When set, each job is dispatched as soon as it is planned, its start delayed by its share
    /// of the spread; null leaves dispatching to the caller (an orchestrator).</param>
    public async Task<PlannedCycle> PlanAsync(CycleKind kind, string? organizationId, CancellationToken cancellationToken, TimeSpan? spread = null)
    {
        var started = time.GetUtcNow();
        var cycleId = $"{kind.WireName()}-{started:yyyyMMddTHHmmssfff}-{Guid.NewGuid().ToString("N")[..6]}";
        var full = kind == CycleKind.Full;
        var all = await connections.ListAsync(organizationId, cancellationToken);
        var states = await state.ListConnectionStatesAsync(cancellationToken);
        var selection = DueSelector.Select(all, states, started, ignoreInterval: full);
        var stale = await StaleQueuedRunsAsync(all, states, started, cancellationToken);

        var planned = new ConcurrentDictionary<int, SyncJob>();
        var conflicts = 0;
        var trigger = full ? RunTrigger.Manual : RunTrigger.Schedule;
        var mode = full ? SyncMode.Full : SyncMode.Incremental;
        var total = selection.Due.Count + stale.Count;
        await Parallel.ForEachAsync(
            Interleaved(selection.Due).Select((connection, index) => (connection, index)),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.PlanningParallelism, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                SyncJob job;
                if (full)
                {
                    var known = states.GetValueOrDefault(item.connection.Id) ?? new ConnectionSyncState(item.connection.Id, null, null, null, null, null, null, null);
                    if ((await launcher.QueueAsync(item.connection, mode, null, trigger, ct, known)).Run is not { } run)
                    {
                        Interlocked.Increment(ref conflicts);
                        return;
                    }

                    job = RunLauncher.JobFor(run, cycleId);
                }
                else
                {
                    // A connection whose own full-sync schedule came round runs in full.
                    var own = DueSelector.FullDue(item.connection, states.GetValueOrDefault(item.connection.Id), started) ? SyncMode.Full : mode;
                    job = RunLauncher.PlanJob(item.connection, own, trigger, cycleId, started);
                }

                planned[item.index] = job;
                if (spread is { } window)
                {
                    await dispatcher.DispatchAsync(job, DueSelector.SpreadDelay(item.index, total, window), ct);
                }
            });

        if (spread is { } requeueWindow)
        {
            foreach (var (run, index) in stale.Select((r, i) => (r, i)))
            {
                await dispatcher.DispatchAsync(RunLauncher.JobFor(run, cycleId), DueSelector.SpreadDelay(selection.Due.Count + index, total, requeueWindow), cancellationToken);
            }
        }

        return new PlannedCycle(cycleId, kind, started, all.Count, selection, [.. planned.OrderBy(q => q.Key).Select(q => q.Value)], stale, conflicts);
    }

    /// <summary>Plans a cycle and dispatches its runs as it goes, spread over <paramref name="spread"/>; records the summary.</summary>
    public async Task<CycleSummary> RunAsync(CycleKind kind, string? organizationId, TimeSpan spread, CancellationToken cancellationToken) =>
        (await RunNamingSkippedAsync(kind, organizationId, cancellationToken, spread)).Summary;

    /// <summary><see cref="RunAsync"/>, also naming the connections it left out (<see cref="DueSelection.Skipped"/>).</summary>
    public async Task<(CycleSummary Summary, IReadOnlyList<SkippedConnection> Skipped)> RunNamingSkippedAsync(
        CycleKind kind, string? organizationId, CancellationToken cancellationToken, TimeSpan spread = default)
    {
        var plan = await PlanAsync(kind, organizationId, cancellationToken, spread);
        var summary = plan.Summary(time.GetUtcNow());
        await schedule.SaveCycleAsync(summary, cancellationToken);
        return (summary, plan.Selection.Skipped);
    }

    /// <summary>
    /// The due connections one organization after another (each organization's first, then each one's second, …), so
    /// jobs dispatched in this order meet organizations with free slots: in list order an organization's connections
    /// came together, and all but <see cref="SchedulerOptions.OrganizationConcurrency"/> of them waited
    /// <see cref="Jobs.WorkerOptions.BusyRetryDelay"/> for a slot, one batch after another.
    /// </summary>
    internal static IEnumerable<Connection> Interleaved(IReadOnlyList<Connection> due) =>
        due.GroupBy(c => c.OrganizationId, StringComparer.Ordinal)
            .SelectMany((organization, order) => organization.Select((connection, rank) => (connection, rank, order)))
            .OrderBy(c => c.rank)
            .ThenBy(c => c.order)
            .Select(c => c.connection);

    /// <summary>How long a scheduled cycle spreads its starts: at most MaxSpread and half the schedule's period.</summary>
    public TimeSpan SpreadFor(CronSchedule cron)
    {
        var period = cron.ApproximatePeriod(time.GetUtcNow());
        var half = period / 2;
        return half < options.Value.MaxSpread ? half : options.Value.MaxSpread;
    }

    /// <summary>
    /// Runs queued long ago that never started (the process that queued them died before dispatching): dispatched
    /// again, since a queued run keeps its connection from being scheduled. Dispatching twice is harmless.
    /// </summary>
    private async Task<IReadOnlyList<SyncRun>> StaleQueuedRunsAsync(
        IReadOnlyList<Connection> all, IReadOnlyDictionary<string, ConnectionSyncState> states, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stale = new List<SyncRun>();
        foreach (var connection in all.Where(c => c.DeletedAt is null))
        {
            if (states.GetValueOrDefault(connection.Id)?.ActiveRunId is { } runId
                && await state.GetRunAsync(runId, cancellationToken) is { Status: RunStatus.Queued } run
                && now - run.CreatedAt > options.Value.QueuedRunTimeout)
            {
                stale.Add(run);
            }
        }

        return stale;
    }
}

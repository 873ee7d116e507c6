using System.Collections.Concurrent;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Scheduling;

/// <summary>One cycle: pick the due connections, queue a run for each and dispatch them spread over time.</summary>
public sealed class CyclePlanner(
    IConnectionStore connections,
    ISyncStateStore state,
    RunLauncher launcher,
    IScheduleStore schedule,
    IOptions<SchedulerOptions> options,
    TimeProvider time)
{
    /// <param name="kind"><c>scheduled</c> (due connections, incremental) or <c>full</c> (every enabled connection, full mode).</param>
    /// <param name="organizationId">Restrict to one organization (an organization key's run-full).</param>
    /// <param name="spread">How long to spread starts over.</param>
    public async Task<CycleSummary> RunAsync(string kind, string? organizationId, TimeSpan spread, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var cycleId = $"{kind}-{started:yyyyMMddTHHmmssfff}-{Guid.NewGuid().ToString("N")[..6]}";
        var full = kind == "full";
        var all = await connections.ListAsync(organizationId, cancellationToken);
        var states = await state.ListConnectionStatesAsync(cancellationToken);
        var selection = DueSelector.Select(all, states, started, ignoreInterval: full);

        var runIds = new ConcurrentBag<string>();
        var conflicts = 0;
        var trigger = full ? RunTrigger.Manual : RunTrigger.Schedule;
        var mode = full ? SyncMode.Full : SyncMode.Incremental;
        await Parallel.ForEachAsync(
            selection.Due.Select((connection, index) => (connection, index)),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.PlanningParallelism, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var delay = DueSelector.SpreadDelay(item.index, selection.Due.Count, spread);
                var result = await launcher.LaunchAsync(item.connection, mode, null, trigger, cycleId, delay, ct);
                if (result.Run is { } run)
                {
                    runIds.Add(run.RunId);
                }
                else
                {
                    Interlocked.Increment(ref conflicts);
                }
            });

        var summary = new CycleSummary
        {
            CycleId = cycleId,
            Kind = kind,
            StartedAt = started,
            FinishedAt = time.GetUtcNow(),
            Considered = all.Count,
            Due = selection.Due.Count,
            Queued = runIds.Count,
            SkippedDisabled = selection.Disabled,
            SkippedNeedsAttention = selection.NeedsAttention,
            SkippedActive = selection.Active + conflicts,
            SkippedNotDue = selection.NotDue,
            RunIds = [.. runIds.Order(StringComparer.Ordinal)],
        };
        await schedule.SaveCycleAsync(summary, cancellationToken);
        return summary;
    }

    /// <summary>How long a scheduled cycle spreads its starts: at most MaxSpread and half the schedule's period.</summary>
    public TimeSpan SpreadFor(CronSchedule cron)
    {
        var period = cron.ApproximatePeriod(time.GetUtcNow());
        var half = period / 2;
        return half < options.Value.MaxSpread ? half : options.Value.MaxSpread;
    }
}

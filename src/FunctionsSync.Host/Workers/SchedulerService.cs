using FunctionsSync.Core.Scheduling;

namespace FunctionsSync.Host.Workers;

/// <summary>
/// Every tick, every replica reads the persisted schedule; when a cron occurrence is due, the replica whose
/// ETag-conditional claim wins runs the cycle. Stop/start/interval take effect within one tick, on all replicas.
/// </summary>
public sealed partial class SchedulerService(
    IScheduleStore schedule,
    CyclePlanner planner,
    Microsoft.Extensions.Options.IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<SchedulerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogTickFailed(ex);
            }

            try
            {
                await Task.Delay(options.Value.TickInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<CycleSummary?> TickAsync(CancellationToken cancellationToken)
    {
        var state = await schedule.GetAsync(cancellationToken);
        if (!state.Enabled)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var cron = CronSchedule.Parse(state.Cron);
        var next = cron.NextAfter(state.LastOccurrence);
        if (next > now)
        {
            return null;
        }

        // Occurrences missed while no replica ran collapse into one cycle.
        var occurrence = next;
        for (var later = cron.NextAfter(occurrence); later <= now; later = cron.NextAfter(later))
        {
            occurrence = later;
        }

        if (!await schedule.TryClaimCycleAsync(state, occurrence, cancellationToken))
        {
            return null;
        }

        var summary = await planner.RunAsync("scheduled", null, planner.SpreadFor(cron), cancellationToken);
        LogCycle(summary.CycleId, summary.Considered, summary.Queued, summary.SkippedActive, summary.SkippedNotDue);
        return summary;
    }

    [LoggerMessage(3001, LogLevel.Information, "Cycle {CycleId}: {Considered} connections, {Queued} runs queued, {Active} already running, {NotDue} not due")]
    private partial void LogCycle(string cycleId, int considered, int queued, int active, int notDue);

    [LoggerMessage(3002, LogLevel.Error, "Scheduler tick failed; retrying on the next tick")]
    private partial void LogTickFailed(Exception exception);
}

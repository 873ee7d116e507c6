using FunctionsSync.Core.Scheduling;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>
/// Every tick, every replica reads the persisted schedule; when a cron occurrence is due, the replica whose
/// ETag-conditional claim wins runs the cycle. Stop/start/interval take effect within one tick, on all replicas.
/// </summary>
public sealed partial class SchedulerService(
    ScheduleTicker ticker,
    CyclePlanner planner,
    Microsoft.Extensions.Options.IOptions<SchedulerOptions> options,
    WorkerPasses passes,
    TimeProvider time,
    ILogger<SchedulerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(WorkerPasses.Scheduler, passes, () => options.Value.TickInterval, TickAsync, LogTickFailed, time, stoppingToken);

    public async Task<CycleSummary?> TickAsync(CancellationToken cancellationToken)
    {
        if (await ticker.TryClaimDueCycleAsync(cancellationToken) is null)
        {
            return null;
        }

        var summary = await planner.RunAsync(CycleKind.Scheduled, null, planner.SpreadFor(await ticker.CurrentCronAsync(cancellationToken)), cancellationToken);
        LogCycle(summary.CycleId, summary.Considered, summary.Queued, summary.SkippedActive, summary.SkippedNotDue);
        return summary;
    }

    [LoggerMessage(6301, LogLevel.Information, "Cycle {CycleId}: {Considered} connections, {Queued} jobs enqueued, {Active} already running, {NotDue} not due")]
    private partial void LogCycle(string cycleId, int considered, int queued, int active, int notDue);

    [LoggerMessage(6302, LogLevel.Error, "Scheduler tick failed; retrying on the next tick")]
    private partial void LogTickFailed(Exception exception);
}

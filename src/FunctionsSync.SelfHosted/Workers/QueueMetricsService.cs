using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Telemetry;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>
/// Samples the fan-out queue for the meter's depth and oldest-job gauges (two small requests every
/// <see cref="Interval"/>; a gauge callback must not call storage).
/// </summary>
public sealed partial class QueueMetricsService(IJobQueue queue, SyncMetrics metrics, WorkerPasses passes, TimeProvider time, ILogger<QueueMetricsService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(WorkerPasses.QueueMetrics, passes, () => Interval, async ct =>
        {
            var depth = await queue.ApproximateCountAsync(ct) ?? 0;
            var oldest = await queue.OldestVisibleAsync(ct);
            metrics.RecordQueue(depth, oldest is { } at ? time.GetUtcNow() - at : null);
        }, LogFailed, time, stoppingToken);

    [LoggerMessage(6501, LogLevel.Debug, "Could not sample the job queue for its metrics")]
    private partial void LogFailed(Exception exception);
}

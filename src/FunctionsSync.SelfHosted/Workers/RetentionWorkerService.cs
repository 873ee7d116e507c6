using FunctionsSync.Core.Retention;
using Microsoft.Extensions.Options;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>Deletes history beyond the retention settings, a bounded batch per pass; passes follow each other at once while work is left.</summary>
public sealed partial class RetentionWorkerService(IRetention retention, IOptions<RetentionOptions> options, WorkerPasses passes, TimeProvider time, ILogger<RetentionWorkerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(WorkerPasses.Retention, passes, () => options.Value.Interval, async ct =>
        {
            var result = await retention.RunOnceAsync(ct);
            if (result.RunsDeleted + result.ActivityDeleted + result.ReceiptsDeleted + result.DeliveriesDeleted > 0)
            {
                LogDeleted(result.RunsDeleted, result.ActivityDeleted, result.ReceiptsDeleted, result.DeliveriesDeleted, result.ConnectionsVisited);
            }

            return result.More;
        }, LogFailed, time, stoppingToken);

    [LoggerMessage(6201, LogLevel.Information, "Retention deleted {Runs} runs, {Activity} activity entries, {Receipts} receipts and {Deliveries} deliveries ({Connections} connections visited)")]
    private partial void LogDeleted(int runs, int activity, int receipts, int deliveries, int connections);

    [LoggerMessage(6202, LogLevel.Error, "The retention pass failed; retrying on the next one")]
    private partial void LogFailed(Exception exception);
}

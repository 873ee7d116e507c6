using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Receipts;
using Microsoft.Extensions.Options;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>Asks again for failed and rate-limited receipts, and runs the automatic conflict retries, when they are due.</summary>
public sealed partial class RetryWorkerService(
    ReceiptImporter receipts,
    ConflictResolver conflicts,
    IOptions<ReceiptOptions> receiptOptions,
    IOptions<ConflictOptions> conflictOptions,
    WorkerPasses passes,
    TimeProvider time,
    ILogger<RetryWorkerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Periodic.RunAsync(WorkerPasses.ReceiptRetry, passes, () => receiptOptions.Value.RetryInterval, receipts.RetryDueAsync, ex => LogFailed(ex, "receipt"), time, stoppingToken),
        Periodic.RunAsync(WorkerPasses.ConflictRetry, passes, () => conflictOptions.Value.RetryInterval, conflicts.RetryDueAsync, ex => LogFailed(ex, "conflict"), time, stoppingToken));

    [LoggerMessage(6101, LogLevel.Error, "The {Kind} retry pass failed; retrying on the next one")]
    private partial void LogFailed(Exception exception, string kind);
}

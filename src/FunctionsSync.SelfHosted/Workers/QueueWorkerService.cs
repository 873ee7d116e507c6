using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Options;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>
/// Workers competing for job messages with every other replica's workers. On shutdown a run in progress stops
/// between pages and its message is made visible again, so another replica resumes it.
/// </summary>
public sealed partial class QueueWorkerService(
    IJobQueue queue,
    JobProcessor processor,
    IOptions<WorkerOptions> options,
    WorkerPasses passes,
    TimeProvider time,
    ILogger<QueueWorkerService> logger) : BackgroundService
{
    private readonly string replica = $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Count).Select(i => WorkAsync($"{replica}/w{i}", stoppingToken)));

    private async Task WorkAsync(string owner, CancellationToken stoppingToken)
    {
        var idle = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var message = await queue.ReceiveAsync(options.Value.VisibilityTimeout, stoppingToken);
                if (message is null)
                {
                    passes.Completed(WorkerPasses.Jobs);
                    await Task.Delay(idle, time, stoppingToken);
                    continue;
                }

                var outcome = await processor.ProcessAsync(message, owner, stoppingToken);
                LogProcessed(owner, message.Job?.RunId, outcome);
                passes.Completed(WorkerPasses.Jobs);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The message reappears after its visibility timeout and is retried (up to the poison threshold).
                // Storage away: the queue cannot be read either; wait longer between tries, and say so once per try.
                var unavailable = ex is StorageUnavailableException;
                if (unavailable)
                {
                    LogStorageUnavailable(owner, ex.Message);
                }
                else
                {
                    LogWorkerFailed(ex, owner);
                }

                try
                {
                    await Task.Delay(unavailable ? Periodic.StorageRetryDelay : idle, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(4003, LogLevel.Warning, "{Worker}: storage is unreachable ({Reason}); retrying")]
    private partial void LogStorageUnavailable(string worker, string reason);

    [LoggerMessage(4001, LogLevel.Debug, "{Worker}: run {RunId} {Outcome}")]
    private partial void LogProcessed(string worker, string? runId, JobOutcome outcome);

    [LoggerMessage(4002, LogLevel.Error, "{Worker}: job failed; the message will be retried")]
    private partial void LogWorkerFailed(Exception exception, string worker);
}

using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Webhooks;
using Microsoft.Extensions.Options;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>
/// Delivers webhooks apart from syncing: reads <c>webhookevents</c>, and sweeps for due retries and for outbox rows
/// whose signal never made it (a host killed between its checkpoint and its enqueue).
/// </summary>
public sealed partial class WebhookWorkerService(
    WebhookQueueWorker queueWorker,
    WebhookDispatcher dispatcher,
    IOptions<WebhookOptions> options,
    WorkerPasses passes,
    TimeProvider time,
    ILogger<WebhookWorkerService> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(200);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatchEnabled)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(
            Periodic.RunAsync(WorkerPasses.WebhookQueue, passes, () => IdlePoll, async ct => await queueWorker.PollAsync(ct) > 0, ex => LogFailed(ex, "queue"), time, stoppingToken),
            Periodic.RunAsync(WorkerPasses.WebhookSweep, passes, () => options.Value.SweepInterval, dispatcher.SweepAsync, ex => LogFailed(ex, "sweep"), time, stoppingToken));
    }

    [LoggerMessage(6001, LogLevel.Error, "Webhook {Loop} pass failed; retrying on the next one")]
    private partial void LogFailed(Exception exception, string loop);
}

using FunctionsSync.Storage.Notifications;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>Reads Amazon's forwarded SP-API notifications from queue <c>amazonnotifications</c> (<see cref="AmazonNotificationQueue"/>).</summary>
public sealed partial class AmazonNotificationWorkerService(
    AmazonNotificationQueue queue, WorkerPasses passes, TimeProvider time, ILogger<AmazonNotificationWorkerService> logger) : BackgroundService
{
    /// <summary>How long an empty queue is left before it is looked at again.</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(500);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(WorkerPasses.AmazonNotifications, passes, () => IdlePoll, async ct => await queue.PollAsync(ct) > 0, ex => LogFailed(ex), time, stoppingToken);

    [LoggerMessage(6002, LogLevel.Error, "Amazon notification pass failed; retrying on the next one")]
    private partial void LogFailed(Exception exception);
}

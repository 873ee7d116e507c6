using FunctionsSync.Core.Notifications;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Storage.Notifications;

/// <summary>
/// Queue <c>amazonnotifications</c> (<see cref="TableNames.AmazonNotificationQueue"/>, with <c>Storage:TablePrefix</c>):
/// SP-API notification bodies, Base64 as the Functions queue trigger reads them, handed to
/// <see cref="AmazonNotificationIntake"/>. The self-hosted runtime polls it; the Functions app binds a queue trigger to it.
/// </summary>
public sealed partial class AmazonNotificationQueue
{
    /// <summary>A message that keeps failing (storage away) is dropped after this many tries: the scheduled sync reads its change anyway.</summary>
    private const int MaxDequeueCount = 5;

    private readonly QueueProvider queues;
    private readonly AmazonNotificationIntake intake;
    private readonly ILogger<AmazonNotificationQueue> logger;

    internal AmazonNotificationQueue(QueueProvider queues, AmazonNotificationIntake intake, ILogger<AmazonNotificationQueue> logger) =>
        (this.queues, this.intake, this.logger) = (queues, intake, logger);

    /// <summary>Handles one batch of messages; returns how many there were.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken) =>
        await QueueBatch.HandleAsync(await queues.GetAsync(TableNames.AmazonNotificationQueue, cancellationToken), 16, TimeSpan.FromMinutes(1), 4, MaxDequeueCount,
            intake.HandleAsync, (ex, message) => LogMessageFailed(ex, message.MessageId, message.DequeueCount), cancellationToken);

    [LoggerMessage(3102, LogLevel.Warning, "Amazon notification message {MessageId} failed (dequeue {Count})")]
    private partial void LogMessageFailed(Exception exception, string messageId, long count);
}

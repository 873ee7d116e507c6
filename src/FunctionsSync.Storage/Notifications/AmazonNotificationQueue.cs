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
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.AmazonNotificationQueue, cancellationToken);
        var messages = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(1), cancellationToken)).Value;
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (message, ct) =>
        {
            try
            {
                await intake.HandleAsync(message.Body.ToString(), ct);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogMessageFailed(ex, message.MessageId, message.DequeueCount);
                if (message.DequeueCount >= MaxDequeueCount)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                }
            }
        });
        return messages.Length;
    }

    [LoggerMessage(3102, LogLevel.Warning, "Amazon notification message {MessageId} failed (dequeue {Count})")]
    private partial void LogMessageFailed(Exception exception, string messageId, long count);
}

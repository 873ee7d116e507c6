using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace FunctionsSync.Storage.Jobs;

/// <summary>
/// One batch of a queue whose messages are hints (webhook signals, Amazon notifications): each handled, then deleted; a
/// message that fails is left to reappear, and dropped once it has failed <paramref name="maxDequeueCount"/> times (what
/// it hinted at is found another way: the outbox sweep, the schedule).
/// </summary>
internal static class QueueBatch
{
    /// <returns>How many messages the batch held.</returns>
    public static async Task<int> HandleAsync(
        QueueClient queue, int maxMessages, TimeSpan visibility, int parallelism, int maxDequeueCount,
        Func<string, CancellationToken, Task> handle, Action<Exception, QueueMessage> failed, CancellationToken cancellationToken)
    {
        var messages = (await queue.ReceiveMessagesAsync(maxMessages, visibility, cancellationToken)).Value;
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (message, ct) =>
        {
            try
            {
                await handle(message.Body.ToString(), ct);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed(ex, message);
                if (message.DequeueCount >= maxDequeueCount)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                }
            }
        });
        return messages.Length;
    }
}

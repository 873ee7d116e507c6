using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Jobs;

/// <summary>Run jobs on an Azure Storage queue (<c>syncjobs</c>, poison messages on <c>syncjobs-poison</c>).</summary>
internal sealed class StorageJobQueue(QueueProvider queues, TimeProvider time) : IJobQueue, IRunDispatcher
{
    public const string PoisonSuffix = "-poison";

    /// <summary>Azure Storage queues hide a new message for at most seven days.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6);

    public Task DispatchAsync(SyncJob job, TimeSpan delay, CancellationToken cancellationToken) => EnqueueAsync(job, delay, cancellationToken);

    public async Task EnqueueAsync(SyncJob job, TimeSpan delay, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.JobQueue, cancellationToken);
        await AddAsync(queue, StorageJson.Serialize(job), delay, cancellationToken);
    }

    public async Task<IJobMessage?> ReceiveAsync(TimeSpan visibility, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.JobQueue, cancellationToken);
        var message = (await queue.ReceiveMessageAsync(visibility, cancellationToken)).Value;
        if (message is null)
        {
            return null;
        }

        SyncJob? job;
        try
        {
            job = StorageJson.Deserialize<SyncJob>(message.Body.ToString());
        }
        catch (JsonException)
        {
            job = null;
        }

        return new Message(this, queue, message, job);
    }

    public async Task<int?> ApproximateCountAsync(CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.JobQueue, cancellationToken);
        return (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
    }

    public async Task<DateTimeOffset?> OldestVisibleAsync(CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(TableNames.JobQueue, cancellationToken);
        var peeked = (await queue.PeekMessagesAsync(1, cancellationToken)).Value;
        return peeked.Length > 0 ? peeked[0].InsertedOn : null;
    }

    private DateTimeOffset Now => time.GetUtcNow();

    public Task<QueueClient> PoisonQueueAsync(CancellationToken cancellationToken) => queues.GetAsync(TableNames.JobQueue + PoisonSuffix, cancellationToken);

    private static Task AddAsync(QueueClient queue, string body, TimeSpan delay, CancellationToken cancellationToken)
    {
        TimeSpan? visibleAfter = delay > TimeSpan.Zero ? (delay > MaxDelay ? MaxDelay : delay) : null;
        return queue.SendMessageAsync(body, visibleAfter, null, cancellationToken);
    }

    /// <summary>
    /// A received message. Every update hands back a new pop receipt, and only the newest one extends or deletes the
    /// message again (an older one answers 400 PopReceiptMismatch), so it is kept here.
    /// </summary>
    private sealed class Message(StorageJobQueue owner, QueueClient queue, QueueMessage message, SyncJob? job) : IJobMessage
    {
        private string popReceipt = message.PopReceipt;

        public SyncJob? Job => job;

        public int DequeueCount => (int)message.DequeueCount;

        private string Body => message.Body.ToString();

        public Task ExtendAsync(TimeSpan visibility, CancellationToken cancellationToken) => HideAsync(visibility, cancellationToken);

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            try
            {
                await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.IsNotFound())
            {
                // Deleted already (a retried delete whose first attempt went through).
            }
        }

        public Task AbandonAsync(TimeSpan after, CancellationToken cancellationToken) => HideAsync(after, cancellationToken);

        public async Task DeferAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            // Add the copy first: a crash between the two leaves a duplicate (harmless, runs are idempotent), never nothing.
            await AddAsync(queue, Body, delay, cancellationToken);
            await CompleteAsync(cancellationToken);
        }

        public async Task MoveToPoisonAsync(string reason, CancellationToken cancellationToken)
        {
            var poison = await owner.PoisonQueueAsync(cancellationToken);
            var body = JsonSerializer.Serialize(new { reason, dequeueCount = message.DequeueCount, movedAt = owner.Now, message = Body });
            await AddAsync(poison, body, TimeSpan.Zero, cancellationToken);
            await CompleteAsync(cancellationToken);
        }

        private async Task HideAsync(TimeSpan visibility, CancellationToken cancellationToken)
        {
            var receipt = await queue.UpdateMessageAsync(message.MessageId, popReceipt, (string?)null, visibility, cancellationToken);
            popReceipt = receipt.Value.PopReceipt;
        }
    }
}

using System.Text.Json;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage.Queue;

namespace FunctionsSync.Storage.Jobs;

/// <summary>Run jobs on an Azure Storage queue (<c>syncjobs</c>, poison messages on <c>syncjobs-poison</c>).</summary>
public sealed class StorageJobQueue(QueueProvider queues, TimeProvider time) : IJobQueue, IRunDispatcher
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
        var message = await queue.GetMessageAsync(visibility, null, null, cancellationToken);
        if (message is null)
        {
            return null;
        }

        SyncJob? job;
        try
        {
            job = StorageJson.Deserialize<SyncJob>(message.AsString);
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
        await queue.FetchAttributesAsync(null, null, cancellationToken);
        return queue.ApproximateMessageCount;
    }

    private static Task AddAsync(CloudQueue queue, string body, TimeSpan delay, CancellationToken cancellationToken)
    {
        TimeSpan? visibleAfter = delay > TimeSpan.Zero ? (delay > MaxDelay ? MaxDelay : delay) : null;
        return queue.AddMessageAsync(new CloudQueueMessage(body), null, visibleAfter, null, null, cancellationToken);
    }

    private sealed class Message(StorageJobQueue owner, CloudQueue queue, CloudQueueMessage message, SyncJob? job) : IJobMessage
    {
        public SyncJob? Job => job;

        public int DequeueCount => message.DequeueCount;

        public Task ExtendAsync(TimeSpan visibility, CancellationToken cancellationToken) =>
            queue.UpdateMessageAsync(message, visibility, MessageUpdateFields.Visibility, null, null, cancellationToken);

        public Task CompleteAsync(CancellationToken cancellationToken) =>
            queue.DeleteMessageAsync(message.Id, message.PopReceipt, null, null, cancellationToken);

        public Task AbandonAsync(TimeSpan after, CancellationToken cancellationToken) =>
            queue.UpdateMessageAsync(message, after, MessageUpdateFields.Visibility, null, null, cancellationToken);

        public async Task DeferAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            // Add the copy first: a crash between the two leaves a duplicate (harmless, runs are idempotent), never nothing.
            await AddAsync(queue, message.AsString, delay, cancellationToken);
            await CompleteAsync(cancellationToken);
        }

        public async Task MoveToPoisonAsync(string reason, CancellationToken cancellationToken)
        {
            var poison = await owner.PoisonQueueAsync(cancellationToken);
            var body = JsonSerializer.Serialize(new { reason, dequeueCount = message.DequeueCount, movedAt = owner.Now, message = message.AsString });
            await AddAsync(poison, body, TimeSpan.Zero, cancellationToken);
            await CompleteAsync(cancellationToken);
        }
    }

    private DateTimeOffset Now => time.GetUtcNow();

    public Task<CloudQueue> PoisonQueueAsync(CancellationToken cancellationToken) => queues.GetAsync(TableNames.JobQueue + PoisonSuffix, cancellationToken);
}

using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>Reads <c>webhookevents</c> and hands each message to the dispatcher (the Functions app binds a queue trigger to <see cref="HandleAsync"/>).</summary>
public sealed partial class WebhookQueueWorker
{
    private readonly QueueProvider queues;
    private readonly WebhookDispatcher dispatcher;
    private readonly ILogger<WebhookQueueWorker> logger;

    internal WebhookQueueWorker(QueueProvider queues, WebhookDispatcher dispatcher, ILogger<WebhookQueueWorker> logger)
    {
        this.queues = queues;
        this.dispatcher = dispatcher;
        this.logger = logger;
    }

    /// <summary>A message that keeps failing is dropped: its event is still in the outbox (the sweeper) or its delivery is still due.</summary>
    private const int MaxDequeueCount = 5;

    /// <summary>Handles one batch of messages; returns how many there were.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken) =>
        await QueueBatch.HandleAsync(await queues.GetAsync(TableNames.WebhookQueue, cancellationToken), 16, TimeSpan.FromMinutes(2), 8, MaxDequeueCount,
            HandleAsync, (ex, message) => LogMessageFailed(ex, message.MessageId, message.DequeueCount), cancellationToken);

    public async Task HandleAsync(string body, CancellationToken cancellationToken)
    {
        var message = StorageJson.Deserialize<WebhookSignalMessage>(body);
        if (message?.DeliveryId is { } deliveryId && DeliveryIds.TryParse(deliveryId, out var endpointId, out var eventId))
        {
            await dispatcher.AttemptByIdAsync(endpointId, eventId, cancellationToken);
        }
        else if (message is { ConnectionId: { } connectionId, EventId: { } outboxEventId })
        {
            await dispatcher.DispatchAsync(connectionId, outboxEventId, cancellationToken);
        }
    }

    [LoggerMessage(3101, LogLevel.Warning, "Webhook message {MessageId} failed (dequeue {Count})")]
    private partial void LogMessageFailed(Exception exception, string messageId, long count);
}

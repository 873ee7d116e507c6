using FunctionsSync.Storage.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Webhooks;

/// <summary>
/// <c>webhookevents</c> messages (app setting <c>WebhookQueueName</c>, checked at start-up against the name the storage
/// layer writes: see <see cref="WebhookQueueBinding"/>) in the account of connection <c>DataStorage</c> (the same account as
/// <c>Storage__*</c>). Messages are Base64, as the storage layer writes them and the trigger expects. The queue's
/// retries and poison queue (host.json <c>maxDequeueCount</c>) apply; a lost message is covered by the sweeper.
/// </summary>
public sealed class WebhookQueueFunction(WebhookQueueWorker worker)
{
    [Function("WebhookDispatch")]
    public Task RunAsync([QueueTrigger("%WebhookQueueName%", Connection = "DataStorage")] string message, CancellationToken cancellationToken) =>
        worker.HandleAsync(message, cancellationToken);
}

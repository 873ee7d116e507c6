using FunctionsSync.Storage.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Webhooks;

/// <summary>
/// <c>webhookevents</c> messages in the data account (app setting <c>DataStorage</c>, the same account as
/// <c>Storage__ConnectionString</c>) (base64, as WindowsAzure.Storage writes them and the trigger expects). The queue's
/// retries and poison queue (host.json <c>maxDequeueCount</c>) apply; a lost message is covered by the sweeper.
/// </summary>
public sealed class WebhookQueueFunction(WebhookQueueWorker worker)
{
    [Function("WebhookDispatch")]
    public Task RunAsync([QueueTrigger("%WebhookQueueName%", Connection = "DataStorage")] string message, CancellationToken cancellationToken) =>
        worker.HandleAsync(message, cancellationToken);
}

using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Notifications;
using FunctionsSync.Functions.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.Functions.Notifications;

/// <summary>
/// <c>amazonnotifications</c> messages (app setting <c>AmazonNotificationQueueName</c>, checked at start-up against the
/// name the storage layer uses: see <see cref="Webhooks.WebhookQueueBinding"/>) in the account of connection
/// <c>DataStorage</c>: SP-API notifications forwarded from Amazon's SQS destination, Base64 as the trigger reads them.
/// The queue's retries and poison queue (host.json <c>maxDequeueCount</c>) apply; a lost one is read by the schedule.
/// The run a message queues becomes a <c>ConnectionSync</c> orchestration before the message is done.
/// </summary>
public sealed class AmazonNotificationFunction(AmazonNotificationIntake intake, CollectedRunStarter starter)
{
    [Function("AmazonNotifications")]
    public async Task RunAsync(
        [QueueTrigger("%AmazonNotificationQueueName%", Connection = "DataStorage")] string message, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        using var started = CollectingRunDispatcher.Begin();
        await intake.HandleAsync(message, cancellationToken);
        await starter.StartAsync(started, client, cancellationToken);
    }
}

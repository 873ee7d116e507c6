using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Core.Notifications;

/// <summary>
/// Amazon's change notifications as messages of the notification queue. SP-API sends <c>ORDER_CHANGE</c> to an SQS
/// queue (its destination); whatever forwards those messages (a Lambda, an Azure Function reading SQS) puts each body,
/// unchanged, on queue <c>amazonnotifications</c> of this service's storage account. The queue is the trust boundary, as
/// SQS is Amazon's (the messages carry no signature): only a writer to the storage account can add one. A message names
/// the seller, not the connection: each live Amazon connection registered with that seller id as its store id gets the
/// notification as a hint (deduplicated by <c>NotificationId</c>, an incremental orders run queued, coalesced behind
/// a run in flight), as any marketplace's HTTP notification does (<see cref="NotificationsApi.AcceptAsync"/>), started
/// <see cref="NotificationOptions.AmazonVisibilityDelay"/> later, once SP-API lists the change.
/// </summary>
public sealed partial class AmazonNotificationIntake(
    IConnectionStore connections, NotificationsApi notifications, Microsoft.Extensions.Options.IOptions<NotificationOptions> options, ILogger<AmazonNotificationIntake> logger)
{
    /// <summary>Handles one message; what became of it. Only a failure to reach storage throws (the message is then retried).</summary>
    public async Task<IReadOnlyList<string>> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var (change, refused) = AmazonOrderChange.Parse(message);
        if (change is null)
        {
            LogRefused(refused!);
            return [];
        }

        var outcomes = new List<string>();
        foreach (var connection in await connections.ListByStoreAsync(MarketplaceNames.Amazon, change.SellerId, cancellationToken))
        {
            var accepted = await notifications.AcceptAsync(connection, new MarketplaceNotification(change.NotificationId, AmazonOrderChange.Type, [EntityType.Orders]) { RunDelay = options.Value.AmazonVisibilityDelay, Named = [change.AmazonOrderId] }, cancellationToken);
            outcomes.Add((accepted.Result.Body as NotificationAccepted)?.Outcome ?? "refused");
        }

        if (outcomes.Count == 0)
        {
            LogNoConnection(change.NotificationId, change.SellerId);
        }

        return outcomes;
    }

    [LoggerMessage(1302, LogLevel.Warning, "An Amazon notification message was dropped: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(1303, LogLevel.Information, "Amazon notification {NotificationId} names seller {SellerId}, which no connection syncs; dropped")]
    private partial void LogNoConnection(string notificationId, string sellerId);
}

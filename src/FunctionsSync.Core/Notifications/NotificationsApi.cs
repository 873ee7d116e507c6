using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Core.Notifications;

/// <summary>
/// <c>POST /api/notifications/{connectionId}</c>: a marketplace's change notification, a hint that something changed.
/// The sender is verified as the marketplace documents it (<see cref="NotificationSignatures"/>; anything else is a
/// 401 that changes nothing); a change seen before is acknowledged and dropped; otherwise an incremental run of the
/// notified feeds is queued, reading just the records it names where the adapter can (the payload is never stored:
/// the run reads the records from the marketplace), or, with a
/// run in flight, noted so that another follows it (<see cref="NotificationFollowUp"/>). Notifications can be late,
/// lost or repeated: the scheduled sync stays the sweep that reconciles.
/// </summary>
public sealed partial class NotificationsApi(
    IConnectionStore connections,
    INotificationInbox inbox,
    RunLauncher launcher,
    Privacy.ShopifyCompliance compliance,
    Adapters.IMarketplaceAdapterRegistry adapters,
    Deletions.IRecordReconciliation reconciliation,
    Webhooks.IWebhookSignal signal,
    Microsoft.Extensions.Options.IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationsApi> logger)
{
    public async Task<ApiResult<NotificationAccepted>> ReceiveAsync(string connectionId, string? body, Func<string, string?> header, CancellationToken cancellationToken)
    {
        var connection = connectionId.Length is > 0 and <= 64 && connectionId.All(char.IsAsciiLetterOrDigit)
            ? await connections.GetAsync(connectionId, cancellationToken)
            : null;
        if (connection is null || connection.DeletedAt is not null || !NotificationSignatures.Supports(connection.Marketplace)
            || NotificationSignatures.Verify(connection, body ?? "", header, time.GetUtcNow()) is not { } notification)
        {
            LogNotVerified(connectionId);
            return Problems.NotVerified();
        }

        if (connection.Marketplace == MarketplaceNames.Shopify && Privacy.ShopifyCompliance.Topics.Contains(notification.Topic))
        {
            return await compliance.HandleAsync(connection, notification.Topic, body!, cancellationToken);
        }

        return await AcceptAsync(connection, notification, cancellationToken);
    }

    /// <summary>
    /// A notification whose sender was verified, for one of its connections (an HTTP delivery above, or an Amazon
    /// message from the notification queue): dropped when the connection is not syncing or the change was seen, a
    /// confirmed deletion tombstoned, otherwise an incremental run of its feeds queued (or noted behind the run in flight).
    /// </summary>
    public async Task<ApiResult<NotificationAccepted>> AcceptAsync(Connection connection, MarketplaceNotification notification, CancellationToken cancellationToken)
    {
        if (notification.EntityTypes.Count == 0 || !connection.Enabled || connection.Health == ConnectionHealth.NeedsAttention)
        {
            return ApiResult.Ok(new NotificationAccepted("ignored", null));
        }

        if (notification.EventId is { } eventId && !await inbox.TryRecordAsync(connection.Id, eventId, cancellationToken))
        {
            return ApiResult.Ok(new NotificationAccepted("duplicate", null));
        }

        try
        {
            if (notification.Deleted is { } deleted && adapters.TryGet(connection.Marketplace, out var adapter) && adapter is Adapters.IRecordLookup lookup
                && !await lookup.ExistsAsync(connection, deleted.Type, deleted.Id, cancellationToken))
            {
                return ApiResult.Ok(await TombstoneAsync(connection, notification, deleted.Type, deleted.Id, cancellationToken));
            }

            return ApiResult.Accepted(await QueueAsync(connection, notification, cancellationToken));
        }
        catch (Exception) when (notification.EventId is { } recorded)
        {
            // Answered with an error, the marketplace sends it again: that retry must not be taken for a duplicate.
            await inbox.ForgetAsync(connection.Id, recorded, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The marketplace confirmed the deletion it notified: the record is tombstoned now, with its <c>record.deleted</c>
    /// event (the next full sync's reconciliation would find the same; its prices follow there).
    /// </summary>
    private async Task<NotificationAccepted> TombstoneAsync(Connection connection, MarketplaceNotification notification, Records.EntityType type, string id, CancellationToken cancellationToken)
    {
        var feed = new Deletions.ReconcileFeed($"notification-{notification.EventId ?? id}", connection.Id, connection.OrganizationId, connection.Marketplace, type, time.GetUtcNow());
        var tombstones = await reconciliation.TombstoneAsync(feed, [id], cancellationToken);
        if (tombstones.Events.Count > 0)
        {
            await signal.SignalAsync(tombstones.Events, cancellationToken);
        }

        return new NotificationAccepted(tombstones.Count > 0 ? "deleted" : "ignored", null);
    }

    /// <summary>
    /// Queues the run the notification asks for: the records it names where the adapter reads by id (at once: a read by
    /// id sees the change whatever a list shows yet), else its feeds from their marks (after <see cref="MarketplaceNotification.RunDelay"/>).
    /// </summary>
    private async Task<NotificationAccepted> QueueAsync(Connection connection, MarketplaceNotification notification, CancellationToken cancellationToken)
    {
        var byId = adapters.TryGet(connection.Marketplace, out var adapter) ? adapter.FetchesByIds : new HashSet<Records.EntityType>();
        IReadOnlyList<RunTarget> feeds = [.. notification.Feeds.Select(f => f.Ids is not null && byId.Contains(f.EntityType) ? f : f with { Ids = null })];
        var delay = feeds.All(f => f.Ids is not null) ? TimeSpan.Zero : notification.RunDelay;
        var launched = await launcher.LaunchNotifiedAsync(connection, feeds, delay, cancellationToken);
        if (launched.Run is null)
        {
            // The run in flight may have read past this change: another follows it. Its end may have come meanwhile
            // (its follow-up found nothing yet), so try once more; what was noted then follows the run queued now.
            await inbox.AddPendingAsync(connection.Id, feeds, options.Value.MaxTargetedRecords, time.GetUtcNow(), cancellationToken);
            launched = await launcher.LaunchNotifiedAsync(connection, feeds, delay, cancellationToken);
            if (launched.Run is null)
            {
                return new NotificationAccepted("pending", null);
            }
        }

        return new NotificationAccepted("queued", launched.Run.RunId);
    }

    [LoggerMessage(1301, LogLevel.Warning, "A notification for connection {ConnectionId} was refused: its signature did not verify")]
    private partial void LogNotVerified(string connectionId);
}

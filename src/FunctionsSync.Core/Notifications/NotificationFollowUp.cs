using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;

namespace FunctionsSync.Core.Notifications;

/// <summary>
/// After a run ends, the feeds notified while it was in flight are read by another incremental run (the ended one may
/// have read past those changes). Coalesced: however many notifications came, one run follows.
/// </summary>
public sealed class NotificationFollowUp(INotificationInbox inbox, RunLauncher launcher, Microsoft.Extensions.Options.IOptions<NotificationOptions> options, TimeProvider time)
{
    public async Task AfterRunAsync(Connection connection, CancellationToken cancellationToken)
    {
        var pending = await inbox.TakePendingAsync(connection.Id, cancellationToken);
        if (pending.Count == 0)
        {
            return;
        }

        var launched = await launcher.LaunchNotifiedAsync(connection, pending, TimeSpan.Zero, cancellationToken);
        if (launched.Run is null)
        {
            // Another run took the connection first; it may be older than the change: keep them for its end.
            await inbox.AddPendingAsync(connection.Id, pending, options.Value.MaxTargetedRecords, time.GetUtcNow(), cancellationToken);
        }
    }
}

using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Notifications;

/// <summary>
/// After a run ends, the feeds notified while it was in flight are read by another incremental run (the ended one may
/// have read past those changes). Coalesced: however many notifications came, one run follows.
/// </summary>
public sealed class NotificationFollowUp(INotificationInbox inbox, RunLauncher launcher, TimeProvider time)
{
    public async Task AfterRunAsync(Connection connection, CancellationToken cancellationToken)
    {
        var pending = await inbox.TakePendingAsync(connection.Id, cancellationToken);
        if (pending.Count == 0)
        {
            return;
        }

        var launched = await launcher.LaunchAsync(connection, SyncMode.Incremental, pending, RunTrigger.Notification, null, TimeSpan.Zero, cancellationToken);
        if (launched.Run is null)
        {
            // Another run took the connection first; it may be older than the change: keep them for its end.
            await inbox.AddPendingAsync(connection.Id, pending, time.GetUtcNow(), cancellationToken);
        }
    }
}

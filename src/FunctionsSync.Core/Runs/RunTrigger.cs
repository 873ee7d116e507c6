namespace FunctionsSync.Core.Runs;

public enum RunTrigger
{
    Schedule,
    Manual,
    Import,

    /// <summary>A marketplace's change notification asked for it (<see cref="Notifications.NotificationsApi"/>).</summary>
    Notification,
}

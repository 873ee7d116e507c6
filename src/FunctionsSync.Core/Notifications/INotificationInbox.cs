using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Notifications;

/// <summary>
/// Per connection, what change notifications left to do: the recent event ids (a bounded window, for deduplication)
/// and the feeds notified while a run was in flight (that run may have read past them).
/// </summary>
public interface INotificationInbox
{
    /// <summary>Records <paramref name="eventId"/>; false when it was recorded before (a duplicate delivery).</summary>
    Task<bool> TryRecordAsync(string connectionId, string eventId, CancellationToken cancellationToken);

    /// <summary>Forgets a recorded event id: what it asked for did not happen (the notification is answered with an error, and its retry must not count as a duplicate).</summary>
    Task ForgetAsync(string connectionId, string eventId, CancellationToken cancellationToken);

    /// <summary>
    /// Notes feeds notified at <paramref name="at"/> while a run was in flight, merged with those noted before
    /// (<see cref="RunTarget.Merge"/>: ids united, a feed read whole past <paramref name="maxIds"/>).
    /// </summary>
    Task AddPendingAsync(string connectionId, IReadOnlyList<RunTarget> feeds, int maxIds, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Takes (clears) the feeds noted as pending; empty when none.</summary>
    Task<IReadOnlyList<RunTarget>> TakePendingAsync(string connectionId, CancellationToken cancellationToken);
}

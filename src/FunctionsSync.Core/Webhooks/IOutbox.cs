namespace FunctionsSync.Core.Webhooks;

/// <summary>
/// The outbox rows the sync state store writes with each state change (see <c>Checkpoint.Events</c>).
/// A row lives until its event has been handed to every subscribed endpoint.
/// </summary>
public interface IOutbox
{
    Task<OutboxEvent?> GetAsync(string connectionId, string eventId, CancellationToken cancellationToken);

    /// <summary>Events written before <paramref name="before"/> that are still waiting: their signal was lost.</summary>
    Task<IReadOnlyList<OutboxEvent>> ListWaitingAsync(DateTimeOffset before, int take, CancellationToken cancellationToken);

    Task RemoveAsync(string connectionId, string eventId, CancellationToken cancellationToken);
}

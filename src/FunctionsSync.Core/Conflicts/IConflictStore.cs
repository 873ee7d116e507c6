using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.Core.Conflicts;

/// <summary>
/// Conflicts, one partition per connection. A conflict that opens is written together with its
/// <c>conflict.created</c> outbox row, in one entity-group transaction.
/// </summary>
public interface IConflictStore
{
    Task<IReadOnlyDictionary<string, Conflict>> GetManyAsync(string connectionId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    Task<Conflict?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Writes conflicts (conditional on <see cref="Conflict.Version"/> where set) with their events.</summary>
    /// <exception cref="ConcurrencyException">One of them changed since it was read; nothing of its batch was written.</exception>
    Task SaveAsync(string connectionId, IReadOnlyList<(Conflict Conflict, OutboxEvent? Event)> changes, CancellationToken cancellationToken);

    Task<ConflictPage> ListAsync(ConflictQuery query, CancellationToken cancellationToken);

    /// <summary>Conflicts the automatic policy retries now.</summary>
    Task<IReadOnlyList<Conflict>> ListDueRetriesAsync(DateTimeOffset now, int take, CancellationToken cancellationToken);
}

using FunctionsSync.Core.Records;
using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.Core.Deletions;

/// <summary>
/// Deletions found by reconciliation, where the marketplace has no deletion signal: a full run notes the id of every
/// record its feed lists, page by page (<see cref="NoteSeenAsync"/>); once that feed has been read whole, the stored
/// records it did not list are tombstoned (<see cref="TombstoneUnseenAsync"/>). Both work a bucket of the connection's
/// records at a time, so memory is bounded by a bucket's ids, not the store's.
/// </summary>
public interface IRecordReconciliation
{
    /// <summary>Notes the ids a page listed; a page noted again under the same sequence (a replay) replaces its note.</summary>
    Task NoteSeenAsync(SeenPage page, CancellationToken cancellationToken);

    /// <summary>
    /// Tombstones the stored, live records of the feed that the run did not note (each with a <c>record.deleted</c>
    /// outbox event in the same write), then drops the run's notes. Called only for a feed read whole.
    /// </summary>
    Task<Tombstones> TombstoneUnseenAsync(ReconcileFeed feed, CancellationToken cancellationToken);

    /// <summary>
    /// Tombstones the named records, still live, that the marketplace itself said are gone (a deletion notification
    /// checked with <see cref="Adapters.IRecordLookup"/>), each with its <c>record.deleted</c> event.
    /// </summary>
    Task<Tombstones> TombstoneAsync(ReconcileFeed feed, IReadOnlyList<string> externalIds, CancellationToken cancellationToken);

    /// <summary>Drops a run's notes of a feed without tombstoning (the feed was not read whole).</summary>
    Task ForgetAsync(string runId, EntityType entityType, CancellationToken cancellationToken);
}

/// <param name="ExternalIds">Every id the page listed: records mapped, rejected or not written.</param>
public sealed record SeenPage(string RunId, string ConnectionId, EntityType EntityType, long PageSeq, IReadOnlyList<string> ExternalIds);

public sealed record ReconcileFeed(string RunId, string ConnectionId, string OrganizationId, string Marketplace, EntityType EntityType, DateTimeOffset Now);

/// <param name="Events">The <c>record.deleted</c> events written with them, to signal the dispatcher.</param>
public sealed record Tombstones(long Count, IReadOnlyList<OutboxEvent> Events)
{
    public static Tombstones None { get; } = new(0, []);
}

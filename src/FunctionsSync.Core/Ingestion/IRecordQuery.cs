using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Ingestion;

/// <summary>Reads what ingestion stored (API views, tests, downstream exports).</summary>
public interface IRecordQuery
{
    IAsyncEnumerable<StoredRecord> ListAsync(string connectionId, EntityType entityType, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the connection's records of <paramref name="entityType"/>, bucket after bucket (ordered by bucket, then
    /// id): key-range reads of the buckets the page spans. Tombstones are left out unless <paramref name="includeDeleted"/>;
    /// a page may then come back short, with a token.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="continuationToken"/> is not one this store handed out.</exception>
    Task<RecordPage> ListPageAsync(string connectionId, EntityType entityType, int pageSize, string? continuationToken, bool includeDeleted, CancellationToken cancellationToken);

    /// <summary>Records stored per entity type, from counters ingestion maintains: the cost does not grow with the records.</summary>
    Task<IReadOnlyDictionary<EntityType, long>> CountAsync(string connectionId, CancellationToken cancellationToken);
}

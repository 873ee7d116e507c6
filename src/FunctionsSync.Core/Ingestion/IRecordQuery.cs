using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Ingestion;

/// <summary>Reads what ingestion stored (API views, tests, downstream exports).</summary>
public interface IRecordQuery
{
    IAsyncEnumerable<StoredRecord> ListAsync(string connectionId, EntityType entityType, CancellationToken cancellationToken);

    /// <summary>Records stored per entity type, from counters ingestion maintains: the cost does not grow with the records.</summary>
    Task<IReadOnlyDictionary<EntityType, long>> CountAsync(string connectionId, CancellationToken cancellationToken);
}

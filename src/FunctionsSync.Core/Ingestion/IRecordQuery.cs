using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Ingestion;

/// <summary>Reads what ingestion stored (API views, tests, downstream exports).</summary>
public interface IRecordQuery
{
    IAsyncEnumerable<StoredRecord> ListAsync(string connectionId, EntityType entityType, CancellationToken cancellationToken);

    Task<long> CountAsync(string connectionId, EntityType entityType, CancellationToken cancellationToken);
}

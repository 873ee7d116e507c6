using System.Runtime.CompilerServices;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Ingestion;

internal sealed class TableRecordQuery(TableProvider tables, RecordLayouts layouts, RecordCounters counters) : IRecordQuery
{
    /// <summary>Reads the connection's partitions of the entity type, bucket after bucket (exports and tests: it reads every record).</summary>
    public async IAsyncEnumerable<StoredRecord> ListAsync(string connectionId, EntityType entityType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var buckets = await layouts.ForReadAsync(connectionId, cancellationToken);
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            await foreach (var entity in table.QueryAllAsync(TableQueries.Partition(RecordLayouts.Partition(connectionId, entityType, bucket)), cancellationToken))
            {
                yield return RecordRows.Stored(entity);
            }
        }
    }

    public Task<IReadOnlyDictionary<EntityType, long>> CountAsync(string connectionId, CancellationToken cancellationToken) =>
        counters.CountAsync(connectionId, cancellationToken);
}

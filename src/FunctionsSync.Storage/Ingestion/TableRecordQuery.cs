using System.Runtime.CompilerServices;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Ingestion;

public sealed class TableRecordQuery(TableProvider tables) : IRecordQuery
{
    public async IAsyncEnumerable<StoredRecord> ListAsync(string connectionId, EntityType entityType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var query = new TableQuery<DynamicTableEntity>().Where(TableQueries.Partition(RecordRows.Partition(connectionId, entityType)));
        await foreach (var entity in table.ExecuteAllAsync(query, cancellationToken))
        {
            yield return RecordRows.Stored(entity);
        }
    }

    public async Task<long> CountAsync(string connectionId, EntityType entityType, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var query = new TableQuery<DynamicTableEntity>()
            .Where(TableQueries.Partition(RecordRows.Partition(connectionId, entityType)))
            .Select(["RowKey"]);
        long count = 0;
        await foreach (var _ in table.ExecuteAllAsync(query, cancellationToken))
        {
            count++;
        }

        return count;
    }
}

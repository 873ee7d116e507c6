using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>The outbox rows of both tables that write them (see <see cref="OutboxRows"/>).</summary>
public sealed class TableOutbox(TableProvider tables) : IOutbox
{
    private static readonly string[] OutboxTables = [TableNames.SyncState, TableNames.Conflicts];

    public async Task<OutboxEvent?> GetAsync(string connectionId, string eventId, CancellationToken cancellationToken)
    {
        foreach (var name in OutboxTables)
        {
            var table = await tables.GetAsync(name, cancellationToken);
            var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(TableKeys.Encode(connectionId), OutboxRows.Prefix + eventId), null, null, cancellationToken);
            if (result.Result is DynamicTableEntity entity)
            {
                return OutboxRows.FromEntity(entity);
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<OutboxEvent>> ListWaitingAsync(DateTimeOffset before, int take, CancellationToken cancellationToken)
    {
        var filter = TableQuery.CombineFilters(
            TableQueries.RowKeyPrefix(OutboxRows.Prefix),
            TableOperators.And,
            TableQuery.GenerateFilterConditionForDate("CreatedAt", QueryComparisons.LessThan, before));
        var waiting = new List<OutboxEvent>();
        foreach (var name in OutboxTables)
        {
            var table = await tables.GetAsync(name, cancellationToken);
            waiting.AddRange(await table.ReadAllAsync(new TableQuery<DynamicTableEntity>().Where(filter).Take(take - waiting.Count), OutboxRows.FromEntity, cancellationToken));

            if (waiting.Count >= take)
            {
                break;
            }
        }

        return waiting;
    }

    public async Task RemoveAsync(string connectionId, string eventId, CancellationToken cancellationToken)
    {
        foreach (var name in OutboxTables)
        {
            var table = await tables.GetAsync(name, cancellationToken);
            try
            {
                var row = new DynamicTableEntity(TableKeys.Encode(connectionId), OutboxRows.Prefix + eventId) { ETag = "*" };
                await table.ExecuteAsync(TableOperation.Delete(row), null, null, cancellationToken);
            }
            catch (StorageException ex) when (ex.IsNotFound())
            {
            }
        }
    }
}

using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Tables;

internal static class TableQueries
{
    public static string Partition(string partitionKey) =>
        TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, partitionKey);

    /// <summary>Rows of one partition whose row key starts with <paramref name="prefix"/>.</summary>
    public static string PartitionPrefix(string partitionKey, string prefix) =>
        TableQuery.CombineFilters(Partition(partitionKey), TableOperators.And, RowKeyPrefix(prefix));

    /// <summary>Rows (of any partition) whose row key starts with <paramref name="prefix"/>.</summary>
    public static string RowKeyPrefix(string prefix) =>
        TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThanOrEqual, prefix),
            TableOperators.And,
            TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.LessThan, prefix[..^1] + (char)(prefix[^1] + 1)));

    /// <summary>
    /// Replaces <paramref name="entity"/> if it is still at <paramref name="version"/> (any version when null).
    /// Returns the new version, or null when the row changed or vanished meanwhile.
    /// </summary>
    public static async Task<string?> TryReplaceAsync(this CloudTable table, DynamicTableEntity entity, string? version, CancellationToken cancellationToken)
    {
        entity.ETag = version ?? "*";
        try
        {
            return (await table.ExecuteAsync(TableOperation.Replace(entity), null, null, cancellationToken)).Etag;
        }
        catch (StorageException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>Every row <paramref name="query"/> returns (up to its Take), mapped.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(
        this CloudTable table, TableQuery<DynamicTableEntity> query, Func<DynamicTableEntity, T> map, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var entity in table.ExecuteAllAsync(query, cancellationToken))
        {
            list.Add(map(entity));
        }

        return list;
    }

    public static async IAsyncEnumerable<DynamicTableEntity> ExecuteAllAsync(
        this CloudTable table, TableQuery<DynamicTableEntity> query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TableContinuationToken? token = null;
        var remaining = query.TakeCount;
        do
        {
            var segment = await table.ExecuteQuerySegmentedAsync(query, token, null, null, cancellationToken);
            foreach (var entity in segment.Results)
            {
                yield return entity;
                if (remaining is not null && --remaining <= 0)
                {
                    yield break;
                }
            }

            token = segment.ContinuationToken;
        }
        while (token is not null);
    }
}

using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Tables;

internal static class TableQueries
{
    public static string Partition(string partitionKey) =>
        TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, partitionKey);

    /// <summary>Rows of one partition whose row key starts with <paramref name="prefix"/>.</summary>
    public static string PartitionPrefix(string partitionKey, string prefix) =>
        TableQuery.CombineFilters(
            Partition(partitionKey),
            TableOperators.And,
            TableQuery.CombineFilters(
                TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThanOrEqual, prefix),
                TableOperators.And,
                TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.LessThan, prefix[..^1] + (char)(prefix[^1] + 1))));

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

using System.Collections.Concurrent;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>The row shape of a stored record, and reading rows back by key.</summary>
internal static class RecordRows
{
    /// <summary>Azure Table Storage accepts at most 15 comparisons in one filter.</summary>
    private const int KeysPerQuery = 15;

    private const int ParallelQueries = 8;

    public static string Partition(string connectionId, EntityType type) => $"{TableKeys.Encode(connectionId)}|{type.ToWire()}";

    public static DynamicTableEntity ToEntity(string partition, PreparedRecord item, IngestContext context, RecordChange change) =>
        new(partition, item.RowKey)
        {
            Properties =
            {
                ["Data"] = new EntityProperty(item.Json),
                ["Hash"] = new EntityProperty(item.Hash),
                ["SourceUpdatedAt"] = new EntityProperty(item.Record.UpdatedAt),
                ["RunId"] = new EntityProperty(context.RunId),
                ["PageSeq"] = new EntityProperty(context.PageSeq),
                ["Change"] = new EntityProperty(change.ToString()),
            },
        };

    public static StoredRecordState State(DynamicTableEntity entity) => new(
        entity.Properties["Hash"].StringValue,
        entity.Properties["SourceUpdatedAt"].DateTimeOffsetValue ?? DateTimeOffset.MinValue,
        entity.Properties["RunId"].StringValue,
        entity.Properties["PageSeq"].Int64Value ?? 0,
        Enum.Parse<RecordChange>(entity.Properties["Change"].StringValue),
        entity.Properties.TryGetValue("LocalHash", out var local) && !string.IsNullOrEmpty(local.StringValue) ? local.StringValue : null);

    public static StoredRecord Stored(DynamicTableEntity entity) =>
        new(RecordJson.Deserialize(entity.Properties["Data"].StringValue), State(entity), entity.Timestamp);

    public static async Task<Dictionary<string, (StoredRecordState State, string ETag)>> ReadAsync(
        CloudTable table, string partition, IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        var found = new ConcurrentDictionary<string, (StoredRecordState, string)>();
        var columns = new List<string> { "Hash", "SourceUpdatedAt", "RunId", "PageSeq", "Change", "LocalHash" };
        await Parallel.ForEachAsync(
            rowKeys.Chunk(KeysPerQuery),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelQueries, CancellationToken = cancellationToken },
            async (keys, ct) =>
            {
                var keyFilter = keys
                    .Select(k => TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.Equal, k))
                    .Aggregate((a, b) => TableQuery.CombineFilters(a, TableOperators.Or, b));
                var query = new TableQuery<DynamicTableEntity>()
                    .Where(TableQuery.CombineFilters(TableQueries.Partition(partition), TableOperators.And, keyFilter))
                    .Select(columns);
                await foreach (var entity in table.ExecuteAllAsync(query, ct))
                {
                    found[entity.RowKey] = (State(entity), entity.ETag);
                }
            });
        return new Dictionary<string, (StoredRecordState State, string ETag)>(found);
    }
}

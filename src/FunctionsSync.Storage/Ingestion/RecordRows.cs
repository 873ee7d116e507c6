using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>
/// The row of a stored record in table <c>records</c>: partition <see cref="RecordLayouts.Partition"/> (its bucket),
/// row key = the marketplace id (escaped). <c>Hash</c> is the marketplace version the row is based on; <c>LocalHash</c>,
/// when set, the content of a local change; <c>DeletedAt</c>, when set, makes the row a tombstone (a full run found the
/// record deleted at the marketplace; a later write of the record clears it).
/// </summary>
internal static class RecordRows
{
    /// <summary>Azure Table Storage accepts at most 15 comparisons in one filter.</summary>
    private const int KeysPerQuery = 15;

    private const int ParallelQueries = 8;

    /// <summary>A record's JSON spans at most this many properties (<see cref="LargeText"/>): 448,000 characters, under the 1 MiB row.</summary>
    public const int MaxDataParts = 14;

    private static readonly string[] StateColumns = ["RowKey", "Hash", "SourceUpdatedAt", "RunId", "PageSeq", "Change", "LocalHash", "DeletedAt"];

    public static TableEntity ToEntity(string partition, PreparedRecord item, IngestContext context, RecordChange change)
    {
        var entity = new TableEntity(partition, item.RowKey)
        {
            ["Hash"] = item.Hash,
            ["SourceUpdatedAt"] = item.Record.UpdatedAt,
            ["RunId"] = context.RunId,
            ["PageSeq"] = context.PageSeq,
            ["Change"] = change.ToString(),
        };
        WriteData(entity, item.Json);
        return entity;
    }

    /// <summary>The record's JSON, over as many properties as it needs.</summary>
    /// <exception cref="Core.Storage.TooLargeToStoreException">It does not fit in a row.</exception>
    public static void WriteData(TableEntity entity, string json) => LargeText.Write(entity, "Data", json, MaxDataParts, "record");

    public static string ReadData(TableEntity entity) => LargeText.Read(entity, "Data") ?? throw new InvalidOperationException($"Record row {entity.RowKey} has no data.");

    public static StoredRecordState State(TableEntity entity) => new(
        entity.GetString("Hash"),
        entity.GetDateTimeOffset("SourceUpdatedAt") ?? DateTimeOffset.MinValue,
        entity.GetString("RunId"),
        entity.GetInt64("PageSeq") ?? 0,
        Enum.Parse<RecordChange>(entity.GetString("Change")),
        entity.GetString("LocalHash") is { Length: > 0 } local ? local : null,
        entity.GetDateTimeOffset("DeletedAt"));

    public static StoredRecord Stored(TableEntity entity) =>
        new(RecordJson.Deserialize(ReadData(entity)), State(entity), entity.Timestamp ?? DateTimeOffset.MinValue);

    /// <summary>The state columns of the rows with these keys in one partition: batches of 15 keys per filter, in parallel.</summary>
    public static async Task<Dictionary<string, (StoredRecordState State, ETag ETag)>> ReadAsync(
        TableClient table, string partition, IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        var found = new ConcurrentDictionary<string, (StoredRecordState, ETag)>();
        await Parallel.ForEachAsync(
            rowKeys.Chunk(KeysPerQuery),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelQueries, CancellationToken = cancellationToken },
            async (keys, ct) =>
            {
                var keyFilter = string.Join(" or ", keys.Select(k => TableClient.CreateQueryFilter($"RowKey eq {k}")));
                var filter = $"{TableQueries.Partition(partition)} and ({keyFilter})";
                await foreach (var entity in table.QueryAllAsync(filter, ct, select: StateColumns))
                {
                    found[entity.RowKey] = (State(entity), entity.ETag);
                }
            });
        return new Dictionary<string, (StoredRecordState State, ETag ETag)>(found);
    }
}

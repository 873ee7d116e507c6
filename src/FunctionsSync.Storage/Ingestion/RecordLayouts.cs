using System.Collections.Concurrent;
using Azure.Data.Tables;
using FunctionsSync.Core.Records;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>
/// How many partitions (buckets) a connection's records of one entity type are spread over. Decided when the
/// connection's first record is written (<c>Storage:RecordBuckets</c> then) and kept in row <c>buckets</c> of partition
/// <c>{connection}|meta</c> of table <c>records</c>, so changing the option never moves a stored record. Immutable once
/// written, so it is cached for the life of the process.
/// </summary>
internal sealed class RecordLayouts(TableProvider tables, IOptions<StorageOptions> options)
{
    private const string BucketsRow = "buckets";

    private readonly ConcurrentDictionary<string, int> known = new();

    public static string MetaPartition(string connectionId) => $"{TableKeys.Encode(connectionId)}|meta";

    /// <summary>The partition of one bucket: <c>{connection}|{entityType}|{bucket}</c>.</summary>
    public static string Partition(string connectionId, EntityType type, int bucket) => $"{TableKeys.Encode(connectionId)}|{type.ToWire()}|{bucket:x2}";

    /// <summary>A record's bucket: a stable hash of its id, so a point read is one request.</summary>
    public static int BucketOf(string externalId, int buckets) => (int)(TableKeys.StableHash(externalId) % (uint)buckets);

    /// <summary>The connection's bucket count for writing: fixed now if it was not yet.</summary>
    public async Task<int> ForWriteAsync(string connectionId, CancellationToken cancellationToken)
    {
        if (known.TryGetValue(connectionId, out var buckets))
        {
            return buckets;
        }

        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var row = new TableEntity(MetaPartition(connectionId), BucketsRow) { ["Count"] = options.Value.RecordBuckets };
        if (await table.TryAddAsync(row, cancellationToken) is null)
        {
            // Fixed before (by this or another process).
            return await ForReadAsync(connectionId, cancellationToken);
        }

        return known[connectionId] = options.Value.RecordBuckets;
    }

    /// <summary>The connection's bucket count for reading; the configured count when nothing was written yet (nothing to find then).</summary>
    public async Task<int> ForReadAsync(string connectionId, CancellationToken cancellationToken)
    {
        if (known.TryGetValue(connectionId, out var buckets))
        {
            return buckets;
        }

        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        if (await table.GetAsync(MetaPartition(connectionId), BucketsRow, cancellationToken) is { } row && row.GetInt32("Count") is { } count)
        {
            return known[connectionId] = count;
        }

        return options.Value.RecordBuckets;
    }
}

using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Storage.Ingestion;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Retention;

/// <summary>
/// Tombstones by the time they were made, as the <see cref="DueIndex"/> partition <c>due|tombstones</c> of table
/// <c>indexes</c> (item key <c>{records partition}|{row key}</c>): reconciliation adds the entries before it writes the
/// tombstones, the retention pass deletes the rows older than <see cref="Core.Retention.RetentionOptions.TombstoneMaxAge"/>
/// from the oldest entries. A record listed again since (live, or tombstoned anew) fails the pass's check and stays.
/// </summary>
internal sealed class TombstoneIndex(TableProvider tables)
{
    /// <summary>Records partitions are <c>{connection}|{entityType}|{bucket}</c>: the item key's row key follows the third bar.</summary>
    private const int PartitionBars = 3;

    public DueIndex Entries { get; } = new(tables, "tombstones");

    public static string ItemKey(string partition, string rowKey) => $"{partition}|{rowKey}";

    public static bool TrySplit(string itemKey, out string partition, out string rowKey)
    {
        var at = -1;
        for (var bar = 0; bar < PartitionBars; bar++)
        {
            at = itemKey.IndexOf('|', at + 1);
            if (at < 0)
            {
                (partition, rowKey) = ("", "");
                return false;
            }
        }

        (partition, rowKey) = (itemKey[..at], itemKey[(at + 1)..]);
        return rowKey.Length > 0;
    }

    /// <summary>The entries of tombstones made at <paramref name="at"/>, in transactions of the index's one partition.</summary>
    public async Task AddAsync(DateTimeOffset at, IEnumerable<string> itemKeys, CancellationToken cancellationToken)
    {
        foreach (var chunk in itemKeys.Chunk(TableBatch.MaxActions))
        {
            await Entries.AddManyAsync(at, chunk, cancellationToken);
        }
    }

    /// <summary>The row behind an entry, with its version, so deleting it loses to a write that brought it back meanwhile.</summary>
    public static async Task<TombstoneRow?> LoadAsync(TableClient records, string itemKey, CancellationToken cancellationToken) =>
        TrySplit(itemKey, out var partition, out var rowKey)
            && (await RecordRows.ReadAsync(records, partition, [rowKey], cancellationToken)).TryGetValue(rowKey, out var found)
            ? new TombstoneRow(partition, rowKey, found.State, found.ETag)
            : null;
}

internal sealed record TombstoneRow(string Partition, string RowKey, StoredRecordState State, ETag ETag);

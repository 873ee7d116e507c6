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

    public async Task<RecordPage> ListPageAsync(string connectionId, EntityType entityType, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        // The token is "{bucket}|{the table's token within it}".
        var (bucket, token) = (0, (string?)null);
        if (Continuation.Decode(continuationToken) is { } position)
        {
            var bar = position.IndexOf('|', StringComparison.Ordinal);
            if (bar < 1 || !int.TryParse(position.AsSpan(0, bar), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bucket))
            {
                throw new FormatException("Not a continuation token.");
            }

            token = bar + 1 < position.Length ? position[(bar + 1)..] : null;
        }

        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var buckets = await layouts.ForReadAsync(connectionId, cancellationToken);
        var items = new List<StoredRecord>(pageSize);
        while (bucket < buckets && items.Count < pageSize)
        {
            var filter = TableQueries.Partition(RecordLayouts.Partition(connectionId, entityType, bucket));
            var (page, next) = await table.ReadPageAsync(filter, pageSize - items.Count, token, RecordRows.Stored, cancellationToken);
            items.AddRange(page);
            (bucket, token) = next is null ? (bucket + 1, null) : (bucket, next);
        }

        return new RecordPage(items, bucket < buckets ? Continuation.Encode($"{bucket}|{token}") : null);
    }

    public Task<IReadOnlyDictionary<EntityType, long>> CountAsync(string connectionId, CancellationToken cancellationToken) =>
        counters.CountAsync(connectionId, cancellationToken);
}

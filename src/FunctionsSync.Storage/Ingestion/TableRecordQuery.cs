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

    /// <summary>Segments one page reads when tombstones are left out, before it comes back short with its token.</summary>
    private const int MaxReadsPerPage = 10;

    public async Task<RecordPage> ListPageAsync(string connectionId, EntityType entityType, int pageSize, string? continuationToken, bool includeDeleted, CancellationToken cancellationToken)
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
        // A tombstone carries DeletedAt, and a table filter cannot ask for a property's absence: they are left out here.
        for (var reads = 0; bucket < buckets && items.Count < pageSize && reads < MaxReadsPerPage; reads++)
        {
            var filter = TableQueries.Partition(RecordLayouts.Partition(connectionId, entityType, bucket));
            var (page, next) = await table.ReadPageAsync(filter, pageSize - items.Count, token, RecordRows.Stored, cancellationToken);
            items.AddRange(includeDeleted ? page : page.Where(r => !r.State.Deleted));
            (bucket, token) = next is null ? (bucket + 1, null) : (bucket, next);
        }

        return new RecordPage(items, bucket < buckets ? Continuation.Encode($"{bucket}|{token}") : null);
    }

    public Task<IReadOnlyDictionary<EntityType, long>> CountAsync(string connectionId, CancellationToken cancellationToken) =>
        counters.CountAsync(connectionId, cancellationToken);
}

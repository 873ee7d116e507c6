using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Storage;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>
/// The default ingestion: canonical records in table <c>records</c> (schema in <see cref="RecordRows"/>), spread over
/// the connection's buckets. Writes go in entity-group transactions of up to 100 rows of one bucket; unchanged records
/// are not written.
/// </summary>
internal sealed class TableIngestionService<TRecord>(TableProvider tables, RecordLayouts layouts, TimeProvider time) : IIngestionService<TRecord>
    where TRecord : CanonicalRecord
{
    /// <summary>What a record's JSON may take: <see cref="RecordRows.MaxDataParts"/> properties (less a character per part, for a surrogate pair never split).</summary>
    private const int MaxDataChars = RecordRows.MaxDataParts * (LargeText.PartChars - 1);

    /// <summary>
    /// A table transaction carries at most 4 MiB: records are batched by size as well as by count. Each row counts its
    /// JSON (UTF-16 on the wire's budget: two bytes a character) and 2 KiB for its keys and other columns.
    /// </summary>
    private const long MaxBatchBytes = 3_500_000;

    private const int MaxRaceRetries = 5;

    public async Task<IngestResult> IngestAsync(IngestContext context, IReadOnlyList<TRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return IngestResult.Empty;
        }

        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var buckets = await layouts.ForWriteAsync(context.ConnectionId, cancellationToken);
        var result = IngestResult.Empty;
        var prepared = new List<PreparedRecord>(records.Count);

        // A marketplace may list a record twice in one page (it changed while paging); the newest wins, and a
        // batch must not name one row twice. Two different versions with the same change time cannot be ordered:
        // the later one listed is kept and the other becomes a duplicate_key conflict (skipped by policy).
        var duplicates = new List<DetectedConflict>();
        foreach (var group in records.GroupBy(r => r.ExternalId))
        {
            var record = group.Count() == 1 ? group.First() : group.OrderBy(r => r.UpdatedAt).Last();
            if (group.Count() > 1 && group.Where(r => r.UpdatedAt == record.UpdatedAt).Select(RecordJson.ContentHash).Distinct().Count() > 1)
            {
                duplicates.Add(new DetectedConflict(ConflictType.DuplicateKey, context.EntityType, record.ExternalId,
                    $"{context.EntityType.ToWire()} {record.ExternalId} was listed {group.Count()} times in one page with different content and the same change time; the last listed was kept."));
            }

            var json = RecordJson.Serialize(record);
            if (json.Length > MaxDataChars)
            {
                // Failed alone, named in the run's errors: the other records of its page are written.
                result = result.Add(new(0, 0, 0, 1, [$"{context.EntityType.ToWire()} {record.ExternalId}: record is {json.Length} characters as stored, over the {MaxDataChars} a row holds"]));
                continue;
            }

            prepared.Add(new(record, TableKeys.Encode(record.ExternalId), RecordJson.ContentHash(record), json));
        }

        // A full sync mostly meets new rows, so it tries a blind insert first; an incremental one mostly meets
        // existing rows, so it reads first. Chunks are independent rows of one bucket each, written in parallel.
        var insertFirst = context.Mode == SyncMode.Full;
        var chunks = prepared
            .GroupBy(p => RecordLayouts.BucketOf(p.Record.ExternalId, buckets))
            .SelectMany(bucket => BySize(bucket).Select(chunk => (Partition: RecordLayouts.Partition(context.ConnectionId, context.EntityType, bucket.Key), Chunk: chunk)));
        var chunkResults = await Task.WhenAll(chunks.Select(async c =>
            (insertFirst ? await TryInsertAllAsync(table, c.Partition, context, c.Chunk, cancellationToken) : null)
            ?? await UpsertAsync(table, c.Partition, context, c.Chunk, cancellationToken)));
        result = chunkResults.Aggregate(result, (sum, next) => sum.Add(next));
        return duplicates.Count == 0 ? result : result.Add(IngestResult.Empty with { Conflicts = duplicates });
    }

    /// <summary>One bucket's records in transactions of at most <see cref="TableBatch.MaxActions"/> rows and <see cref="MaxBatchBytes"/>.</summary>
    private static IEnumerable<PreparedRecord[]> BySize(IEnumerable<PreparedRecord> bucket)
    {
        var chunk = new List<PreparedRecord>();
        long bytes = 0;
        foreach (var item in bucket)
        {
            var size = (item.Json.Length * 2L) + 2048;
            if (chunk.Count > 0 && (chunk.Count == TableBatch.MaxActions || bytes + size > MaxBatchBytes))
            {
                yield return [.. chunk];
                chunk.Clear();
                bytes = 0;
            }

            chunk.Add(item);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return [.. chunk];
        }
    }

    private static async Task<IngestResult?> TryInsertAllAsync(TableClient table, string partition, IngestContext context, PreparedRecord[] chunk, CancellationToken cancellationToken)
    {
        var batch = new TableBatch();
        foreach (var item in chunk)
        {
            batch.Add(RecordRows.ToEntity(partition, item, context, RecordChange.Created));
        }

        try
        {
            await batch.SubmitAsync(table, cancellationToken);
            return new(chunk.Length, 0, 0, 0, []);
        }
        catch (RequestFailedException ex) when (ex.IsConflict())
        {
            return null;
        }
    }

    /// <summary>Reads the chunk's rows, decides each record on what is stored, writes; a row written meanwhile by someone else decides again.</summary>
    private Task<IngestResult> UpsertAsync(TableClient table, string partition, IngestContext context, PreparedRecord[] chunk, CancellationToken cancellationToken) =>
        Race.RunAsync((_, ct) => TryUpsertAsync(table, partition, context, chunk, ct), MaxRaceRetries, $"A record of {partition}", time, cancellationToken);

    private static async Task<RaceTry<IngestResult>> TryUpsertAsync(TableClient table, string partition, IngestContext context, PreparedRecord[] chunk, CancellationToken cancellationToken)
    {
        var existing = await RecordRows.ReadAsync(table, partition, chunk.Select(c => c.RowKey), cancellationToken);
        int created = 0, updated = 0, unchanged = 0, skipped = 0;
        var conflicts = new List<DetectedConflict>();
        var batch = new TableBatch();
        foreach (var item in chunk)
        {
            var found = existing.TryGetValue(item.RowKey, out var stored);
            var decision = WriteDecider.Decide(found ? stored.State : null, item.Hash, item.Record.UpdatedAt, context);
            switch (decision.CountAs)
            {
                case RecordChange.Created: created++; break;
                case RecordChange.Updated: updated++; break;
                case RecordChange.Conflicted: skipped++; break;
                default: unchanged++; break;
            }

            if (decision.Action == WriteAction.Conflict)
            {
                conflicts.Add(new DetectedConflict(ConflictType.DataMismatch, context.EntityType, item.Record.ExternalId,
                    $"{context.EntityType.ToWire()} {item.Record.ExternalId} was changed locally and at the marketplace since the last sync.", item.Record));
            }

            if (decision.Action == WriteAction.Insert)
            {
                batch.Add(RecordRows.ToEntity(partition, item, context, RecordChange.Created));
            }
            else if (decision.Action == WriteAction.Replace)
            {
                // Updated, or created again over a tombstone: as counted, so a repeated page counts it the same way.
                batch.Replace(RecordRows.ToEntity(partition, item, context, decision.CountAs), stored.ETag.ToString());
            }
        }

        try
        {
            await batch.SubmitAsync(table, cancellationToken);
            return Race.Won(new IngestResult(created, updated, unchanged, 0, [], skipped, conflicts));
        }
        catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
        {
            // Someone wrote one of these rows between our read and our write; decide again on fresh rows.
            return Race.Lost<IngestResult>();
        }
    }
}

using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>
/// The default ingestion: canonical records in table <c>records</c>, partition <c>{connectionId}|{entityType}</c>,
/// row key = the marketplace id. Writes go in entity-group batches of up to 100; unchanged records are not written.
/// </summary>
public sealed class TableIngestionService<TRecord>(TableProvider tables) : IIngestionService<TRecord>
    where TRecord : CanonicalRecord
{
    private const int BatchLimit = 100;

    /// <summary>Table string properties hold 64 KiB (32K UTF-16 chars).</summary>
    private const int MaxDataChars = 32_000;

    private const int MaxRaceRetries = 5;

    public async Task<IngestResult> IngestAsync(IngestContext context, IReadOnlyList<TRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return IngestResult.Empty;
        }

        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var partition = RecordRows.Partition(context.ConnectionId, context.EntityType);
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
                result = result.Add(new(0, 0, 0, 1, [$"{context.EntityType.ToWire()} {record.ExternalId}: record is {json.Length} characters, over the {MaxDataChars} a row holds"]));
                continue;
            }

            prepared.Add(new(record, TableKeys.Encode(record.ExternalId), RecordJson.ContentHash(record), json));
        }

        // A full sync mostly meets new rows, so it tries a blind insert first; an incremental one mostly meets
        // existing rows, so it reads first. A page's chunks are independent rows, so they are written in parallel.
        var insertFirst = context.Mode == SyncMode.Full;
        var chunkResults = await Task.WhenAll(prepared.Chunk(BatchLimit).Select(async chunk =>
            (insertFirst ? await TryInsertAllAsync(table, partition, context, chunk, cancellationToken) : null)
            ?? await UpsertAsync(table, partition, context, chunk, cancellationToken)));
        result = chunkResults.Aggregate(result, (sum, next) => sum.Add(next));
        return duplicates.Count == 0 ? result : result.Add(IngestResult.Empty with { Conflicts = duplicates });
    }

    private static async Task<IngestResult?> TryInsertAllAsync(CloudTable table, string partition, IngestContext context, PreparedRecord[] chunk, CancellationToken cancellationToken)
    {
        var batch = new TableBatchOperation();
        foreach (var item in chunk)
        {
            batch.Insert(RecordRows.ToEntity(partition, item, context, RecordChange.Created));
        }

        try
        {
            await table.ExecuteBatchAsync(batch, null, null, cancellationToken);
            return new(chunk.Length, 0, 0, 0, []);
        }
        catch (StorageException ex) when (ex.IsConflict())
        {
            return null;
        }
    }

    private static async Task<IngestResult> UpsertAsync(CloudTable table, string partition, IngestContext context, PreparedRecord[] chunk, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await RecordRows.ReadAsync(table, partition, chunk.Select(c => c.RowKey), cancellationToken);
            int created = 0, updated = 0, unchanged = 0, skipped = 0;
            var conflicts = new List<DetectedConflict>();
            var batch = new TableBatchOperation();
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
                    batch.Insert(RecordRows.ToEntity(partition, item, context, RecordChange.Created));
                }
                else if (decision.Action == WriteAction.Replace)
                {
                    var entity = RecordRows.ToEntity(partition, item, context, RecordChange.Updated);
                    entity.ETag = stored.ETag;
                    batch.Replace(entity);
                }
            }

            try
            {
                if (batch.Count > 0)
                {
                    await table.ExecuteBatchAsync(batch, null, null, cancellationToken);
                }

                return new(created, updated, unchanged, 0, [], skipped, conflicts);
            }
            catch (StorageException ex) when ((ex.IsConflict() || ex.IsPreconditionFailed()) && attempt < MaxRaceRetries)
            {
                // Someone wrote one of these rows between our read and our write; decide again on fresh rows.
            }
        }
    }
}

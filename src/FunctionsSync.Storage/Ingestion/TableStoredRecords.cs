using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>
/// Single-record reads and writes on table <c>records</c> (a point read of the record's bucket). A local change
/// replaces <c>Data</c> and sets <c>LocalHash</c>, leaving <c>Hash</c> (the marketplace version it is based on) alone.
/// Every write is conditional on the row's ETag, so a sync writing the same row meanwhile makes it decide again.
/// </summary>
internal sealed class TableStoredRecords(TableProvider tables, RecordLayouts layouts, RecordCounters counters, TimeProvider time) : IStoredRecords, Core.Privacy.IRecordRedactor
{
    /// <summary>What <c>RunId</c> says on rows written by a conflict resolution rather than a run.</summary>
    private const string ResolutionWriter = "conflict-resolution";

    public async Task<StoredRecord?> GetAsync(string connectionId, EntityType entityType, string externalId, CancellationToken cancellationToken) =>
        await ReadAsync(connectionId, entityType, externalId, cancellationToken) is { } entity ? RecordRows.Stored(entity) : null;

    public Task<bool> EditLocallyAsync(string connectionId, CanonicalRecord record, CancellationToken cancellationToken) =>
        ChangeAsync(connectionId, record.EntityType, record.ExternalId, entity =>
        {
            RecordRows.WriteData(entity, RecordJson.Serialize(record));
            // Editing back to the marketplace's version is no local change at all.
            MarkLocalChange(entity, RecordJson.ContentHash(record));
            return true;
        }, cancellationToken);

    public async Task<bool> ApplySourceAsync(string connectionId, CanonicalRecord source, bool overrideLocal, CancellationToken cancellationToken)
    {
        var hash = RecordJson.ContentHash(source);
        var applied = false;
        var exists = await ChangeAsync(connectionId, source.EntityType, source.ExternalId, entity =>
        {
            var local = entity.GetString("LocalHash");
            if (string.IsNullOrEmpty(local) && entity.GetDateTimeOffset("SourceUpdatedAt") > source.UpdatedAt)
            {
                // A newer marketplace version was synced since (the local change is gone): nothing to apply.
                applied = true;
                return false;
            }

            applied = overrideLocal || string.IsNullOrEmpty(local) || local == hash;
            if (applied)
            {
                WriteSource(entity, source, hash);
            }

            return applied;
        }, cancellationToken);
        if (!exists)
        {
            // No row (a record the marketplace sent that was never stored): the marketplace's version is all there is.
            var table = await tables.GetAsync(TableNames.Records, cancellationToken);
            var buckets = await layouts.ForWriteAsync(connectionId, cancellationToken);
            var entity = new TableEntity(PartitionOf(connectionId, source.EntityType, source.ExternalId, buckets), TableKeys.Encode(source.ExternalId));
            WriteSource(entity, source, hash);
            if (await table.TryAddAsync(entity, cancellationToken) is not null)
            {
                await counters.AddOutsideRunAsync(connectionId, source.EntityType, cancellationToken);
            }
            else
            {
                // A run stored it meanwhile: apply as over any row.
                return await ApplySourceAsync(connectionId, source, overrideLocal, cancellationToken);
            }

            return true;
        }

        return applied;
    }

    public Task AcknowledgeSourceAsync(string connectionId, CanonicalRecord source, CancellationToken cancellationToken) =>
        ChangeAsync(connectionId, source.EntityType, source.ExternalId, entity =>
        {
            var hash = RecordJson.ContentHash(source);
            var dataHash = RecordJson.ContentHash(RecordJson.Deserialize(RecordRows.ReadData(entity)));
            entity["Hash"] = hash;
            if (source.UpdatedAt > (entity.GetDateTimeOffset("SourceUpdatedAt") ?? DateTimeOffset.MinValue))
            {
                entity["SourceUpdatedAt"] = source.UpdatedAt;
            }

            // Where the stored data differs from the version it is now based on, it counts as a local change from here on.
            MarkLocalChange(entity, dataHash);
            return true;
        }, cancellationToken);

    public async Task<long> PurgeAsync(string connectionId, EntityType entityType, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        // Every bucket a layout of the connection may have written (a layout being changed reads from one, writes to another).
        var buckets = Math.Max(await layouts.ForReadAsync(connectionId, cancellationToken), await layouts.ForWriteAsync(connectionId, cancellationToken));
        long deleted = 0;
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var partition = RecordLayouts.Partition(connectionId, entityType, bucket);
            var keys = await table.ReadAllAsync(TableQueries.Partition(partition), e => e.RowKey, cancellationToken, select: ["RowKey"]);
            foreach (var chunk in keys.Chunk(TableBatch.MaxActions))
            {
                var batch = new TableBatch();
                foreach (var key in chunk)
                {
                    batch.Delete(new TableEntity(partition, key), null);
                }

                await batch.SubmitAsync(table, cancellationToken);
                deleted += chunk.Length;
            }
        }

        return deleted;
    }

    public async Task<bool> EraseAsync(string connectionId, EntityType entityType, string externalId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var buckets = await layouts.ForReadAsync(connectionId, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(PartitionOf(connectionId, entityType, externalId, buckets), TableKeys.Encode(externalId), ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.IsNotFound())
        {
            return false;
        }
    }

    public Task<bool> RedactAsync(string connectionId, EntityType entityType, string externalId, Func<CanonicalRecord, CanonicalRecord> redact, CancellationToken cancellationToken) =>
        ChangeAsync(connectionId, entityType, externalId, entity =>
        {
            var redacted = redact(RecordJson.Deserialize(RecordRows.ReadData(entity)));
            RecordRows.WriteData(entity, RecordJson.Serialize(redacted));
            // The redacted version is the one the row is based on now: the marketplace redacts its own copy too.
            entity["Hash"] = RecordJson.ContentHash(redacted);
            entity.Remove("LocalHash");
            return true;
        }, cancellationToken);

    /// <summary>Data hashing to <paramref name="dataHash"/> is a local change unless it is the marketplace version the row is based on.</summary>
    private static void MarkLocalChange(TableEntity entity, string dataHash)
    {
        if (dataHash == entity.GetString("Hash"))
        {
            entity.Remove("LocalHash");
        }
        else
        {
            entity["LocalHash"] = dataHash;
        }
    }

    private static void WriteSource(TableEntity entity, CanonicalRecord source, string hash)
    {
        RecordRows.WriteData(entity, RecordJson.Serialize(source));
        entity["Hash"] = hash;
        entity["SourceUpdatedAt"] = source.UpdatedAt;
        entity["RunId"] = ResolutionWriter;
        entity["PageSeq"] = 0L;
        entity["Change"] = nameof(RecordChange.Updated);
        entity.Remove("LocalHash");
    }

    /// <summary>Reads the row, lets <paramref name="change"/> edit it (false: leave it), replaces it on its ETag. False when there is no row.</summary>
    private async Task<bool> ChangeAsync(string connectionId, EntityType type, string externalId, Func<TableEntity, bool> change, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var written = await ConditionalUpdate.ApplyAsync<TableEntity>(
            async ct => await ReadAsync(connectionId, type, externalId, ct) is { } entity ? (entity, entity.ETag.ToString()) : null,
            entity => change(entity) ? entity : null,
            async (_, changed, version, ct) =>
            {
                try
                {
                    await table.UpdateEntityAsync(changed, new ETag(version), TableUpdateMode.Replace, ct);
                    return true;
                }
                catch (RequestFailedException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
                {
                    return false;
                }
            },
            $"Record {externalId} of {connectionId}",
            time,
            cancellationToken);
        return written is not null;
    }

    private async Task<TableEntity?> ReadAsync(string connectionId, EntityType type, string externalId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var buckets = await layouts.ForReadAsync(connectionId, cancellationToken);
        return await table.GetAsync(PartitionOf(connectionId, type, externalId, buckets), TableKeys.Encode(externalId), cancellationToken);
    }

    private static string PartitionOf(string connectionId, EntityType type, string externalId, int buckets) =>
        RecordLayouts.Partition(connectionId, type, RecordLayouts.BucketOf(externalId, buckets));
}

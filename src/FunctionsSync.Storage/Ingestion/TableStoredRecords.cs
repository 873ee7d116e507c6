using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>
/// Single-record reads and writes on table <c>records</c>. A local change replaces <c>Data</c> and sets
/// <c>LocalHash</c>, leaving <c>Hash</c> (the marketplace version it is based on) alone. Every write is conditional on
/// the row's ETag, so a sync writing the same row meanwhile makes it decide again.
/// </summary>
public sealed class TableStoredRecords(TableProvider tables) : IStoredRecords
{
    private const int MaxRaceRetries = 5;

    /// <summary>What <c>RunId</c> says on rows written by a conflict resolution rather than a run.</summary>
    private const string ResolutionWriter = "conflict-resolution";

    public async Task<StoredRecord?> GetAsync(string connectionId, EntityType entityType, string externalId, CancellationToken cancellationToken) =>
        await ReadAsync(connectionId, entityType, externalId, cancellationToken) is { } entity ? RecordRows.Stored(entity) : null;

    public Task<bool> EditLocallyAsync(string connectionId, CanonicalRecord record, CancellationToken cancellationToken) =>
        ChangeAsync(connectionId, record.EntityType, record.ExternalId, entity =>
        {
            entity.Properties["Data"] = new EntityProperty(RecordJson.Serialize(record));
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
            var local = entity.Properties.TryGetValue("LocalHash", out var l) ? l.StringValue : null;
            if (string.IsNullOrEmpty(local) && entity.Properties["SourceUpdatedAt"].DateTimeOffsetValue > source.UpdatedAt)
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
            // The row is gone (removed meanwhile): the marketplace's version is all there is.
            var table = await tables.GetAsync(TableNames.Records, cancellationToken);
            var entity = new DynamicTableEntity(RecordRows.Partition(connectionId, source.EntityType), TableKeys.Encode(source.ExternalId));
            WriteSource(entity, source, hash);
            await table.ExecuteAsync(TableOperation.InsertOrReplace(entity), null, null, cancellationToken);
            return true;
        }

        return applied;
    }

    public Task AcknowledgeSourceAsync(string connectionId, CanonicalRecord source, CancellationToken cancellationToken) =>
        ChangeAsync(connectionId, source.EntityType, source.ExternalId, entity =>
        {
            var hash = RecordJson.ContentHash(source);
            var dataHash = RecordJson.ContentHash(RecordJson.Deserialize(entity.Properties["Data"].StringValue));
            entity.Properties["Hash"] = new EntityProperty(hash);
            if (source.UpdatedAt > (entity.Properties["SourceUpdatedAt"].DateTimeOffsetValue ?? DateTimeOffset.MinValue))
            {
                entity.Properties["SourceUpdatedAt"] = new EntityProperty(source.UpdatedAt);
            }

            // Where the stored data differs from the version it is now based on, it counts as a local change from here on.
            MarkLocalChange(entity, dataHash);
            return true;
        }, cancellationToken);

    /// <summary>Data hashing to <paramref name="dataHash"/> is a local change unless it is the marketplace version the row is based on.</summary>
    private static void MarkLocalChange(DynamicTableEntity entity, string dataHash)
    {
        if (dataHash == entity.Properties["Hash"].StringValue)
        {
            entity.Properties.Remove("LocalHash");
        }
        else
        {
            entity.Properties["LocalHash"] = new EntityProperty(dataHash);
        }
    }

    private static void WriteSource(DynamicTableEntity entity, CanonicalRecord source, string hash)
    {
        entity.Properties["Data"] = new EntityProperty(RecordJson.Serialize(source));
        entity.Properties["Hash"] = new EntityProperty(hash);
        entity.Properties["SourceUpdatedAt"] = new EntityProperty(source.UpdatedAt);
        entity.Properties["RunId"] = new EntityProperty(ResolutionWriter);
        entity.Properties["PageSeq"] = new EntityProperty(0L);
        entity.Properties["Change"] = new EntityProperty(nameof(RecordChange.Updated));
        entity.Properties.Remove("LocalHash");
    }

    /// <summary>Reads the row, lets <paramref name="change"/> edit it (false: leave it), replaces it on its ETag. False when there is no row.</summary>
    private async Task<bool> ChangeAsync(string connectionId, EntityType type, string externalId, Func<DynamicTableEntity, bool> change, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            if (await ReadAsync(connectionId, type, externalId, cancellationToken) is not { } entity)
            {
                return false;
            }

            if (!change(entity))
            {
                return true;
            }

            try
            {
                await table.ExecuteAsync(TableOperation.Replace(entity), null, null, cancellationToken);
                return true;
            }
            catch (StorageException ex) when (ex.IsPreconditionFailed() && attempt < MaxRaceRetries)
            {
            }
        }
    }

    private async Task<DynamicTableEntity?> ReadAsync(string connectionId, EntityType type, string externalId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var result = await table.ExecuteAsync(
            TableOperation.Retrieve<DynamicTableEntity>(RecordRows.Partition(connectionId, type), TableKeys.Encode(externalId)), null, null, cancellationToken);
        return result.Result as DynamicTableEntity;
    }
}

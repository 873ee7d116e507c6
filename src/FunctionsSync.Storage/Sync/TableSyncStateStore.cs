using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// One partition per connection holding its lease row (<c>lease</c>), its cursors (<c>cursor|orders</c>, ...) and its
/// runs (<c>run|{key}</c>, newest first). Sharing the partition is what lets a checkpoint be one entity-group
/// transaction whose first operation is the ETag-conditional lease renewal: a runner that lost its lease writes nothing.
/// </summary>
public sealed class TableSyncStateStore(TableProvider tables, TimeProvider time) : ISyncStateStore
{
    private const string LeaseRow = "lease";
    private const string CursorPrefix = "cursor|";
    private const string RunPrefix = "run|";

    public async Task<LeaseAttempt> TryAcquireLeaseAsync(string connectionId, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var now = time.GetUtcNow();
        var current = await ReadLeaseEntityAsync(table, connectionId, cancellationToken);
        if (current is not null)
        {
            var heldBy = current.Properties["Owner"].StringValue;
            var until = current.Properties["ExpiresAt"].DateTimeOffsetValue ?? DateTimeOffset.MinValue;
            if (!string.IsNullOrEmpty(heldBy) && until > now && heldBy != owner)
            {
                return new(null, heldBy, until);
            }
        }

        var activeRunId = current is null ? null : ActiveRunId(current);
        var entity = LeaseEntity(connectionId, owner, now + duration, activeRunId);
        try
        {
            TableResult result;
            if (current is null)
            {
                result = await table.ExecuteAsync(TableOperation.Insert(entity), null, null, cancellationToken);
            }
            else
            {
                entity.ETag = current.ETag;
                result = await table.ExecuteAsync(TableOperation.Replace(entity), null, null, cancellationToken);
            }

            return new(new SyncLease(connectionId, owner, now + duration, result.Etag, activeRunId), null, null);
        }
        catch (StorageException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
        {
            // Another runner won the race between our read and our write.
            var winner = await ReadLeaseEntityAsync(table, connectionId, cancellationToken);
            return new(null, winner?.Properties["Owner"].StringValue, winner?.Properties["ExpiresAt"].DateTimeOffsetValue);
        }
    }

    public async Task<SyncLease?> GetLeaseAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var entity = await ReadLeaseEntityAsync(table, connectionId, cancellationToken);
        return entity is null
            ? null
            : new SyncLease(
                connectionId,
                entity.Properties["Owner"].StringValue,
                entity.Properties["ExpiresAt"].DateTimeOffsetValue ?? DateTimeOffset.MinValue,
                entity.ETag,
                ActiveRunId(entity));
    }

    public async Task<SyncLease> CheckpointAsync(SyncLease lease, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var owner = checkpoint.Release ? "" : lease.Owner;
        var expiresAt = checkpoint.Release ? time.GetUtcNow() : checkpoint.LeaseUntil;
        var leaseEntity = LeaseEntity(lease.ConnectionId, owner, expiresAt, checkpoint.ActiveRunId);
        leaseEntity.ETag = lease.ETag;

        var batch = new TableBatchOperation { TableOperation.Replace(leaseEntity) };
        batch.InsertOrReplace(RunEntity(checkpoint.Run));
        foreach (var cursor in checkpoint.Cursors)
        {
            batch.InsertOrReplace(new DynamicTableEntity(Partition(lease.ConnectionId), CursorPrefix + cursor.EntityType.ToWire())
            {
                Properties = { ["Json"] = new EntityProperty(StorageJson.Serialize(cursor)) },
            });
        }

        try
        {
            var results = await table.ExecuteBatchAsync(batch, null, null, cancellationToken);
            return lease with { Owner = owner, ExpiresAt = expiresAt, ETag = results[0].Etag, ActiveRunId = checkpoint.ActiveRunId };
        }
        catch (StorageException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
        {
            throw new LeaseLostException(lease.ConnectionId);
        }
    }

    public async Task<IReadOnlyDictionary<EntityType, EntityCursor>> GetCursorsAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var query = new TableQuery<DynamicTableEntity>().Where(TableQueries.PartitionPrefix(Partition(connectionId), CursorPrefix));
        var cursors = new Dictionary<EntityType, EntityCursor>();
        await foreach (var entity in table.ExecuteAllAsync(query, cancellationToken))
        {
            var cursor = StorageJson.Deserialize<EntityCursor>(entity.Properties["Json"].StringValue);
            cursors[cursor.EntityType] = cursor;
        }

        return cursors;
    }

    public async Task<SyncRun?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out var runKey))
        {
            return null;
        }

        var table = await Table(cancellationToken);
        var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(Partition(connectionId), RunPrefix + runKey), null, null, cancellationToken);
        return result.Result is DynamicTableEntity entity ? StorageJson.Deserialize<SyncRun>(entity.Properties["Json"].StringValue) : null;
    }

    public async Task<IReadOnlyList<SyncRun>> ListRunsAsync(string connectionId, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var query = new TableQuery<DynamicTableEntity>().Where(TableQueries.PartitionPrefix(Partition(connectionId), RunPrefix)).Take(take);
        var runs = new List<SyncRun>();
        await foreach (var entity in table.ExecuteAllAsync(query, cancellationToken))
        {
            runs.Add(StorageJson.Deserialize<SyncRun>(entity.Properties["Json"].StringValue));
        }

        return runs;
    }

    private Task<CloudTable> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.SyncState, cancellationToken);

    private static string Partition(string connectionId) => TableKeys.Encode(connectionId);

    private static async Task<DynamicTableEntity?> ReadLeaseEntityAsync(CloudTable table, string connectionId, CancellationToken cancellationToken)
    {
        var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(Partition(connectionId), LeaseRow), null, null, cancellationToken);
        return result.Result as DynamicTableEntity;
    }

    private static string? ActiveRunId(DynamicTableEntity lease) =>
        lease.Properties.TryGetValue("ActiveRunId", out var value) && !string.IsNullOrEmpty(value.StringValue) ? value.StringValue : null;

    private static DynamicTableEntity LeaseEntity(string connectionId, string owner, DateTimeOffset expiresAt, string? activeRunId) =>
        new(Partition(connectionId), LeaseRow)
        {
            Properties =
            {
                ["Owner"] = new EntityProperty(owner),
                ["ExpiresAt"] = new EntityProperty(expiresAt),
                ["ActiveRunId"] = new EntityProperty(activeRunId ?? ""),
            },
        };

    private static DynamicTableEntity RunEntity(SyncRun run)
    {
        RunIds.TryParse(run.RunId, out var connectionId, out var runKey);
        return new DynamicTableEntity(Partition(connectionId), RunPrefix + runKey)
        {
            Properties =
            {
                ["Status"] = new EntityProperty(run.Status.ToString()),
                ["Json"] = new EntityProperty(StorageJson.Serialize(run)),
            },
        };
    }
}

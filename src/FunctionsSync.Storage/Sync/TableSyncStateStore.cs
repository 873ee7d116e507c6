using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;
using FunctionsSync.Storage.Webhooks;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// One partition per connection holding its lease row (<c>lease</c>), its cursors (<c>cursor|orders</c>, ...) and its
/// runs (<c>run|{key}</c>, newest first). Sharing the partition is what lets a checkpoint be one entity-group
/// transaction whose first operation is the ETag-conditional lease renewal: a runner that lost its lease writes nothing.
/// The lease row also carries the active run and the last run's outcome, so the scheduler reads every connection's
/// situation with one query. Lease writes are merges, so each writer changes only the columns it owns.
/// </summary>
public sealed class TableSyncStateStore(TableProvider tables, TimeProvider time) : ISyncStateStore
{
    private const string LeaseRow = "lease";
    private const string CursorPrefix = "cursor|";
    private const string RunPrefix = "run|";
    private const string ControlPrefix = "control|";
    private const int MaxRaceRetries = 10;

    public async Task<LeaseAttempt> TryAcquireLeaseAsync(string connectionId, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var now = time.GetUtcNow();
        var current = await ReadLeaseEntityAsync(table, connectionId, cancellationToken);
        var renewed = false;
        if (current is not null)
        {
            var heldBy = Text(current, "Owner");
            var until = current.Properties.TryGetValue("ExpiresAt", out var e) ? e.DateTimeOffsetValue ?? DateTimeOffset.MinValue : DateTimeOffset.MinValue;
            if (!string.IsNullOrEmpty(heldBy) && until > now && heldBy != owner)
            {
                return new(null, heldBy, until);
            }

            renewed = heldBy == owner && until > now;
        }

        var entity = new DynamicTableEntity(Partition(connectionId), LeaseRow)
        {
            Properties =
            {
                ["Owner"] = new EntityProperty(owner),
                ["ExpiresAt"] = new EntityProperty(now + duration),
            },
        };
        try
        {
            TableResult result;
            if (current is null)
            {
                entity.Properties["ActiveRunId"] = new EntityProperty("");
                result = await table.ExecuteAsync(TableOperation.Insert(entity), null, null, cancellationToken);
            }
            else
            {
                entity.ETag = current.ETag;
                result = await table.ExecuteAsync(TableOperation.Merge(entity), null, null, cancellationToken);
            }

            return new(new SyncLease(connectionId, owner, now + duration, result.Etag, current is null ? null : ActiveRunId(current)), null, null, renewed);
        }
        catch (StorageException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
        {
            // Another runner won the race between our read and our write.
            var winner = await ReadLeaseEntityAsync(table, connectionId, cancellationToken);
            return new(null, winner is null ? null : Text(winner, "Owner"), winner?.Properties["ExpiresAt"].DateTimeOffsetValue);
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
                Text(entity, "Owner") ?? "",
                entity.Properties.TryGetValue("ExpiresAt", out var e) ? e.DateTimeOffsetValue ?? DateTimeOffset.MinValue : DateTimeOffset.MinValue,
                entity.ETag,
                ActiveRunId(entity));
    }

    public async Task<SyncLease> CheckpointAsync(SyncLease lease, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var owner = checkpoint.Release ? "" : lease.Owner;
        var expiresAt = checkpoint.Release ? time.GetUtcNow() : checkpoint.LeaseUntil;
        var leaseEntity = new DynamicTableEntity(Partition(lease.ConnectionId), LeaseRow)
        {
            ETag = lease.ETag,
            Properties =
            {
                ["Owner"] = new EntityProperty(owner),
                ["ExpiresAt"] = new EntityProperty(expiresAt),
                ["ActiveRunId"] = new EntityProperty(checkpoint.ActiveRunId ?? ""),
                ["OrganizationId"] = new EntityProperty(checkpoint.Run.OrganizationId),
            },
        };
        if (checkpoint.Run.Status.IsFinal())
        {
            AddLastRun(leaseEntity, checkpoint.Run);
        }

        var batch = new TableBatchOperation { TableOperation.Merge(leaseEntity) };
        batch.InsertOrReplace(RunEntity(checkpoint.Run));
        foreach (var outboxEvent in checkpoint.Events ?? [])
        {
            batch.InsertOrReplace(OutboxRows.ToEntity(Partition(lease.ConnectionId), outboxEvent));
        }

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

    public async Task<QueueRunResult> TryQueueRunAsync(SyncRun run, ConnectionSyncState? known, DateTimeOffset? unlessSyncedSince, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        for (var attempt = 0; attempt < MaxRaceRetries; attempt++)
        {
            // First try on what the caller just listed (a free connection: no row, or a row without an active run);
            // a stale view fails the ETag condition and the loop reads the row.
            // A known state without a version means "no lease row yet".
            var current = attempt == 0 && known is { ActiveRunId: null } && unlessSyncedSince is null
                ? known.Version is null ? null : new DynamicTableEntity(Partition(run.ConnectionId), LeaseRow) { ETag = known.Version }
                : await ReadLeaseEntityAsync(table, run.ConnectionId, cancellationToken);
            if (current is not null && ActiveRunId(current) is { } active
                && await GetRunAsync(active, cancellationToken) is { } activeRun && !activeRun.Status.IsFinal())
            {
                return new(false, active);
            }

            // Checked on the row whose ETag guards the write below, so a run finishing meanwhile fails the write.
            if (unlessSyncedSince is { } since && current is not null && Date(current, "LastRunFinishedAt") > since)
            {
                return new(false, null, Text(current, "LastRunId"));
            }

            var leaseEntity = new DynamicTableEntity(Partition(run.ConnectionId), LeaseRow)
            {
                Properties =
                {
                    ["ActiveRunId"] = new EntityProperty(run.RunId),
                    ["OrganizationId"] = new EntityProperty(run.OrganizationId),
                },
            };
            var batch = new TableBatchOperation();
            if (current is null)
            {
                leaseEntity.Properties["Owner"] = new EntityProperty("");
                leaseEntity.Properties["ExpiresAt"] = new EntityProperty(DateTimeOffset.UnixEpoch);
                batch.Insert(leaseEntity);
            }
            else
            {
                leaseEntity.ETag = current.ETag;
                batch.Merge(leaseEntity);
            }

            batch.Insert(RunEntity(run));
            try
            {
                await table.ExecuteBatchAsync(batch, null, null, cancellationToken);
                return new(true, null);
            }
            catch (StorageException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                // Someone changed the lease row (a runner, another trigger); look again.
            }
        }

        throw new InvalidOperationException($"Could not queue a run on connection {run.ConnectionId}: the lease row kept changing.");
    }

    public async Task<bool> FailUnheldRunAsync(string runId, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ChangeUnheldRunAsync(runId, run => run with { Status = RunStatus.Failed, Error = reason, FinishedAt = now, UpdatedAt = now }, now, cancellationToken) is not null;

    public async Task<SyncRun?> ChangeUnheldRunAsync(string runId, Func<SyncRun, SyncRun?> change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out _))
        {
            return null;
        }

        var table = await Table(cancellationToken);
        for (var attempt = 0; attempt < MaxRaceRetries; attempt++)
        {
            var run = await GetRunAsync(runId, cancellationToken);
            if (run is null || run.Status.IsFinal())
            {
                return null;
            }

            var current = await ReadLeaseEntityAsync(table, connectionId, cancellationToken);
            var held = current is not null && !string.IsNullOrEmpty(Text(current, "Owner"))
                && current.Properties["ExpiresAt"].DateTimeOffsetValue > now;
            if (held || change(run) is not { } changed)
            {
                return null;
            }

            // The lease row is part of the batch either way: its ETag makes the change lose to a runner taking the lease.
            var leaseEntity = new DynamicTableEntity(Partition(connectionId), LeaseRow) { ETag = current?.ETag ?? "*" };
            if (current is not null && ActiveRunId(current) == runId && changed.Status.IsFinal())
            {
                leaseEntity.Properties["ActiveRunId"] = new EntityProperty("");
                AddLastRun(leaseEntity, changed);
            }

            var batch = new TableBatchOperation();
            if (current is not null)
            {
                batch.Merge(leaseEntity);
            }

            batch.InsertOrReplace(RunEntity(changed));
            if (changed.Status == RunStatus.Failed)
            {
                // A run failed without a runner (a poison job): its sync.failed event is written with it; no signal
                // follows, so the sweeper announces it.
                batch.InsertOrReplace(OutboxRows.ToEntity(Partition(connectionId), WebhookPayloads.ForRun(WebhookEventTypes.SyncFailed, changed, now)));
            }

            try
            {
                await table.ExecuteBatchAsync(batch, null, null, cancellationToken);
                return changed;
            }
            catch (StorageException ex) when (ex.IsPreconditionFailed())
            {
            }
        }

        return null;
    }

    public async Task<RunControl?> GetControlAsync(string runId, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out var runKey))
        {
            return null;
        }

        var table = await Table(cancellationToken);
        var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(Partition(connectionId), ControlPrefix + runKey), null, null, cancellationToken);
        return result.Result is DynamicTableEntity entity && Enum.TryParse<RunControl>(entity.Properties["Request"].StringValue, out var control) ? control : null;
    }

    public async Task SetControlAsync(string runId, RunControl? control, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out var runKey))
        {
            return;
        }

        var table = await Table(cancellationToken);
        var entity = new DynamicTableEntity(Partition(connectionId), ControlPrefix + runKey)
        {
            ETag = "*",
            Properties = { ["Request"] = new EntityProperty(control?.ToString() ?? "") },
        };
        await table.ExecuteAsync(TableOperation.InsertOrReplace(entity), null, null, cancellationToken);
    }

    public async Task SetPhaseAsync(string runId, string phase, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out var runKey))
        {
            return;
        }

        var table = await Table(cancellationToken);
        var entity = new DynamicTableEntity(Partition(connectionId), RunPrefix + runKey) { ETag = "*", Properties = { ["Phase"] = new EntityProperty(phase) } };
        await table.ExecuteAsync(TableOperation.Merge(entity), null, null, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, ConnectionSyncState>> ListConnectionStatesAsync(CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var query = new TableQuery<DynamicTableEntity>().Where(TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.Equal, LeaseRow));
        var states = new Dictionary<string, ConnectionSyncState>();
        await foreach (var entity in table.ExecuteAllAsync(query, cancellationToken))
        {
            var state = StateOf(entity);
            states[state.ConnectionId] = state;
        }

        return states;
    }

    public async Task<ConnectionSyncState?> GetConnectionStateAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await ReadLeaseEntityAsync(table, connectionId, cancellationToken) is { } entity ? StateOf(entity) : null;
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
        return result.Result is DynamicTableEntity entity ? RunOf(entity) : null;
    }

    public async Task<IReadOnlyList<SyncRun>> ListRunsAsync(string connectionId, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var query = new TableQuery<DynamicTableEntity>().Where(TableQueries.PartitionPrefix(Partition(connectionId), RunPrefix)).Take(take);
        return await table.ReadAllAsync(query, RunOf, cancellationToken);
    }

    private Task<CloudTable> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.SyncState, cancellationToken);

    private static string Partition(string connectionId) => TableKeys.Encode(connectionId);

    private static async Task<DynamicTableEntity?> ReadLeaseEntityAsync(CloudTable table, string connectionId, CancellationToken cancellationToken)
    {
        var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(Partition(connectionId), LeaseRow), null, null, cancellationToken);
        return result.Result as DynamicTableEntity;
    }

    private static string? Text(DynamicTableEntity entity, string name) =>
        entity.Properties.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.StringValue) ? value.StringValue : null;

    private static DateTimeOffset? Date(DynamicTableEntity entity, string name) =>
        entity.Properties.TryGetValue(name, out var value) ? value.DateTimeOffsetValue : null;

    private static string? ActiveRunId(DynamicTableEntity lease) => Text(lease, "ActiveRunId");

    private static ConnectionSyncState StateOf(DynamicTableEntity entity) => new(
        TableKeys.Decode(entity.PartitionKey),
        ActiveRunId(entity),
        Text(entity, "Owner"),
        Date(entity, "ExpiresAt"),
        Text(entity, "LastRunId"),
        Text(entity, "LastRunStatus") is { } status ? Enum.Parse<RunStatus>(status) : null,
        Date(entity, "LastRunFinishedAt"),
        Date(entity, "LastSuccessAt"),
        entity.ETag);

    private static void AddLastRun(DynamicTableEntity lease, SyncRun run)
    {
        lease.Properties["LastRunId"] = new EntityProperty(run.RunId);
        lease.Properties["LastRunStatus"] = new EntityProperty(run.Status.ToString());
        lease.Properties["LastRunFinishedAt"] = new EntityProperty(run.FinishedAt ?? run.UpdatedAt);
        if (run.Status is RunStatus.Succeeded or RunStatus.Partial)
        {
            lease.Properties["LastSuccessAt"] = new EntityProperty(run.FinishedAt ?? run.UpdatedAt);
        }
    }

    /// <summary>The run as last checkpointed, with the phase merged in since (when there is one).</summary>
    private static SyncRun RunOf(DynamicTableEntity entity)
    {
        var run = StorageJson.Deserialize<SyncRun>(entity.Properties["Json"].StringValue);
        return run.Status == RunStatus.Running && Text(entity, "Phase") is { } phase ? run with { Phase = phase } : run;
    }

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

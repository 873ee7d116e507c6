using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Storage;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;
using FunctionsSync.Storage.Webhooks;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// One partition per connection holding its lease row (<see cref="LeaseRow"/>, with the lane's cursors: <see cref="LeaseCursors"/>),
/// its runs (<see cref="RunRow"/>, newest first), operator requests (<see cref="ControlRow"/>) and run outbox rows.
/// Sharing the partition is what lets a checkpoint be one entity-group transaction whose first action is the
/// ETag-conditional lease renewal: a runner that lost its lease writes nothing. Listing every connection's situation
/// reads <see cref="ConnectionStateIndex"/>, never this table across partitions.
/// </summary>
internal sealed partial class TableSyncStateStore(TableProvider tables, ConnectionStateIndex index, RunHistoryIndex history, OutboxIndex outboxIndex, TimeProvider time) : ISyncStateStore
{
    private const int MaxRaceRetries = 10;

    public async Task<LeaseAttempt> TryAcquireLeaseAsync(string connectionId, SyncLane lane, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var now = time.GetUtcNow();
        var stored = await LeaseCursors.ReadAsync(table, connectionId, lane, cancellationToken);
        var current = stored.Lease;
        var renewed = false;
        if (current is not null)
        {
            if (current.HeldAt(now) && current.Owner != owner)
            {
                return new(null, current.Owner, current.ExpiresAt);
            }

            renewed = current.Owner == owner && current.ExpiresAt > now;
        }

        var row = new LeaseRow(connectionId, lane) { Owner = owner, ExpiresAt = now + duration };
        try
        {
            string? etag;
            if (current is null)
            {
                row = row with { ActiveRunId = "" };
                etag = (await table.AddEntityAsync(LeaseCursors.Put(row.ToEntity(), LeaseCursors.None), cancellationToken)).Headers.ETag?.ToString();
            }
            else if (stored.LegacyRows.Count > 0)
            {
                // A row of an earlier release: its cursors move onto it as the lease is taken.
                var batch = stored.DeleteLegacy(new TableBatch().Merge(LeaseCursors.Put(row.ToEntity(), stored.Cursors), current.ETag));
                etag = (await batch.SubmitAsync(table, cancellationToken))[0];
            }
            else
            {
                etag = (await table.UpdateEntityAsync(row.ToEntity(), new ETag(current.ETag!), TableUpdateMode.Merge, cancellationToken)).Headers.ETag?.ToString();
            }

            return new(new SyncLease(connectionId, owner, now + duration, etag!, current?.ActiveRunId, lane) { Cursors = stored.Cursors }, null, null, renewed);
        }
        catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed() || (stored.LegacyRows.Count > 0 && ex.IsNotFound()))
        {
            // Another runner won the race between our read and our write (or moved the legacy cursors first).
            var winner = await ReadLeaseAsync(table, connectionId, lane, cancellationToken);
            return new(null, winner?.Owner, winner?.ExpiresAt);
        }
    }

    public async Task<SyncLease?> GetLeaseAsync(string connectionId, SyncLane lane, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await ReadLeaseAsync(table, connectionId, lane, cancellationToken) is { } row
            ? new SyncLease(connectionId, row.Owner ?? "", row.ExpiresAt ?? DateTimeOffset.MinValue, row.ETag!, row.ActiveRunId, lane)
            : null;
    }

    public async Task<SyncLease> CheckpointAsync(SyncLease lease, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var owner = checkpoint.Release ? "" : lease.Owner;
        var expiresAt = checkpoint.Release ? time.GetUtcNow() : checkpoint.LeaseUntil;
        var row = new LeaseRow(lease.ConnectionId, lease.Lane)
        {
            Owner = owner,
            ExpiresAt = expiresAt,
            ActiveRunId = checkpoint.ActiveRunId ?? "",
            OrganizationId = checkpoint.Run.OrganizationId,
        };
        if (checkpoint.Run.Status.IsFinal())
        {
            row = row.WithLastRun(checkpoint.Run);
        }

        // The holder owns the lane's cursors: the checkpoint's are merged into those its lease was taken with, and
        // all of them ride on the lease row's merge.
        var entity = row.ToEntity();
        var cursors = lease.Cursors;
        if (checkpoint.Cursors.Count > 0)
        {
            var merged = new Dictionary<EntityType, EntityCursor>(cursors ?? await GetCursorsAsync(lease.ConnectionId, lease.Lane, cancellationToken));
            foreach (var cursor in checkpoint.Cursors)
            {
                merged[cursor.EntityType] = cursor;
            }

            LeaseCursors.Put(entity, merged);
            cursors = merged;
        }

        var events = checkpoint.Events ?? [];
        // Indexed before they are written: an index entry without its row is skipped by the sweep, a row without one would be missed.
        await outboxIndex.AddAsync(TableNames.SyncState, LeaseRow.Partition(lease.ConnectionId), events, cancellationToken);
        var batch = new TableBatch().Merge(entity, lease.ETag).UpsertReplace(RunRow.ToEntity(checkpoint.Run));
        foreach (var outboxEvent in events)
        {
            batch.UpsertReplace(OutboxRows.ToEntity(LeaseRow.Partition(lease.ConnectionId), outboxEvent));
        }

        IReadOnlyList<string?> versions;
        try
        {
            versions = await batch.SubmitAsync(table, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
        {
            throw new LeaseLostException(lease.ConnectionId);
        }

        // Most checkpoints only renew the lease; the index copies what the cycle planner and the status listing read
        // (the main lane's: a backfill is no connection's last sync).
        if (lease.Lane == SyncLane.Main && (checkpoint.Release || checkpoint.Run.Status.IsFinal() || lease.ActiveRunId != checkpoint.ActiveRunId))
        {
            await index.TryWriteAsync(row with { ETag = versions[0] }, cancellationToken);
        }

        await history.TryWriteAsync(checkpoint.Run, cancellationToken);
        return lease with { Owner = owner, ExpiresAt = expiresAt, ETag = versions[0]!, ActiveRunId = checkpoint.ActiveRunId, Cursors = cursors };
    }

    public async Task<QueueRunResult> TryQueueRunAsync(SyncRun run, ConnectionSyncState? known, DateTimeOffset? unlessSyncedSince, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var lane = SyncLanes.Of(run.Mode);
        return await Race.RunAsync(async (attempt, ct) =>
        {
            // First try on what the caller just listed (a free connection: no row, or a row without an active run);
            // a stale view fails the ETag condition and the loop reads the row.
            // A known state without a version means "no lease row yet".
            var current = attempt == 1 && lane == SyncLane.Main && known is { ActiveRunId: null } && unlessSyncedSince is null
                ? known.Version is null ? null : new LeaseRow(run.ConnectionId) { ETag = known.Version }
                : await ReadLeaseAsync(table, run.ConnectionId, lane, ct);
            if (current?.ActiveRunId is { } active
                && await GetRunAsync(active, ct) is { } activeRun && !activeRun.Status.IsFinal())
            {
                return Race.Won(new QueueRunResult(false, active));
            }

            // Checked on the row whose ETag guards the write below, so a run finishing meanwhile fails the write.
            if (unlessSyncedSince is { } since && current?.LastRunFinishedAt > since)
            {
                return Race.Won(new QueueRunResult(false, null, current.LastRunId));
            }

            var row = new LeaseRow(run.ConnectionId, lane) { ActiveRunId = run.RunId, OrganizationId = run.OrganizationId };
            var batch = new TableBatch();
            if (current is null)
            {
                row = row with { Owner = "", ExpiresAt = DateTimeOffset.UnixEpoch };
                batch.Add(LeaseCursors.Put(row.ToEntity(), LeaseCursors.None));
            }
            else
            {
                batch.Merge(row.ToEntity(), current.ETag);
            }

            batch.Add(RunRow.ToEntity(run));
            try
            {
                var versions = await batch.SubmitAsync(table, ct);
                if (lane == SyncLane.Main)
                {
                    await index.TryWriteAsync(row with { ETag = versions[0] }, ct);
                }

                return Race.Won(new QueueRunResult(true, null));
            }
            catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                // Someone changed the lease row (a runner, another trigger); look again, out of step with them.
                return Race.Lost<QueueRunResult>();
            }
        }, MaxRaceRetries, $"The lease row of connection {run.ConnectionId}", time, cancellationToken);
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
        // A lease row that keeps changing is a runner taking the run, which is then its to change.
        return await Race.RunOrGiveUpAsync((_, ct) => TryChangeUnheldRunAsync(table, connectionId, runId, change, now, ct), MaxRaceRetries, null, time, cancellationToken);
    }

    private async Task<RaceTry<SyncRun?>> TryChangeUnheldRunAsync(TableClient table, string connectionId, string runId, Func<SyncRun, SyncRun?> change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken);
        if (run is null || run.Status.IsFinal())
        {
            return Race.Won<SyncRun?>(null);
        }

        var lane = SyncLanes.Of(run.Mode);
        var current = await ReadLeaseAsync(table, connectionId, lane, cancellationToken);
        if (current?.HeldAt(now) == true || change(run) is not { } changed)
        {
            return Race.Won<SyncRun?>(null);
        }

        // The lease row is part of the batch either way: its ETag makes the change lose to a runner taking the lease.
        var row = new LeaseRow(connectionId, lane);
        var freed = current?.ActiveRunId == runId && changed.Status.IsFinal();
        if (freed)
        {
            row = row.WithLastRun(changed) with { ActiveRunId = "" };
        }

        var batch = new TableBatch();
        if (current is not null)
        {
            batch.Merge(row.ToEntity(), current.ETag);
        }

        batch.UpsertReplace(RunRow.ToEntity(changed));
        OutboxEvent? failedEvent = null;
        if (changed.Status == RunStatus.Failed)
        {
            // A run failed without a runner (a poison job): its sync.failed event is written with it; no signal
            // follows, so the sweeper announces it.
            failedEvent = WebhookPayloads.ForRun(WebhookEventTypes.SyncFailed, changed, now);
            await outboxIndex.AddAsync(TableNames.SyncState, LeaseRow.Partition(connectionId), [failedEvent], cancellationToken);
            batch.UpsertReplace(OutboxRows.ToEntity(LeaseRow.Partition(connectionId), failedEvent));
        }

        try
        {
            var versions = await batch.SubmitAsync(table, cancellationToken);
            if (freed && lane == SyncLane.Main)
            {
                await index.TryWriteAsync(row with { ETag = versions[0] }, cancellationToken);
            }

            await history.TryWriteAsync(changed, cancellationToken);
            return Race.Won<SyncRun?>(changed);
        }
        catch (RequestFailedException ex) when (ex.IsPreconditionFailed())
        {
            return Race.Lost<SyncRun?>();
        }
    }

    public async Task<IReadOnlyDictionary<string, ConnectionSyncState>> ListConnectionStatesAsync(CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var rows = await index.ListAsync(cancellationToken);
        var states = rows.ToDictionary(r => r.ConnectionId, r => r.ToState());

        // The copy may lag its lease row. A lag that shows a finished run as active would keep the connection from
        // being planned, so those few rows (at most the runs in flight) are read from their lease rows.
        await Parallel.ForEachAsync(rows.Where(r => r.ActiveRunId is not null).ToList(),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (row, ct) =>
            {
                if (await ReadLeaseAsync(table, row.ConnectionId, SyncLane.Main, ct) is { } lease)
                {
                    lock (states)
                    {
                        states[row.ConnectionId] = lease.ToState();
                    }

                    if (lease.ActiveRunId != row.ActiveRunId)
                    {
                        // Empty, not null: a merge leaves null columns as they are.
                        await index.TryWriteAsync(lease with { ActiveRunId = lease.ActiveRunId ?? "", Owner = lease.Owner ?? "" }, ct);
                    }
                }
            });
        return states;
    }

    public async Task<ConnectionSyncState?> GetConnectionStateAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return (await ReadLeaseAsync(table, connectionId, SyncLane.Main, cancellationToken))?.ToState();
    }

    public async Task<IReadOnlyDictionary<EntityType, EntityCursor>> GetCursorsAsync(string connectionId, SyncLane lane, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return (await LeaseCursors.ReadAsync(table, connectionId, lane, cancellationToken)).Cursors;
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.SyncState, cancellationToken);

    private static async Task<LeaseRow?> ReadLeaseAsync(TableClient table, string connectionId, SyncLane lane, CancellationToken cancellationToken) =>
        await table.GetAsync(LeaseRow.Partition(connectionId), LeaseRow.KeyOf(lane), cancellationToken) is { } entity ? LeaseRow.FromEntity(entity) : null;
}

using Azure;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Storage;
using FunctionsSync.Core.Sync;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

internal sealed partial class TableSyncStateStore
{
    public async Task<CursorReset> ResetCursorsAsync(string connectionId, IReadOnlyList<EntityType> types, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await Race.RunAsync(async (_, ct) =>
        {
            var stored = await LeaseCursors.ReadAsync(table, connectionId, SyncLane.Main, ct);
            var lease = stored.Lease;
            if (lease?.ActiveRunId is { Length: > 0 } active && await GetRunAsync(active, ct) is { } run && !run.Status.IsFinal())
            {
                return Race.Won(CursorReset.Refused(active));
            }

            if (lease?.HeldAt(time.GetUtcNow()) == true)
            {
                return Race.Won(CursorReset.Refused(null));
            }

            var rewound = types.Select(t => (stored.Cursors.GetValueOrDefault(t) ?? new EntityCursor { EntityType = t }).Rewound()).ToList();
            var cursors = new Dictionary<EntityType, EntityCursor>(stored.Cursors);
            foreach (var cursor in rewound)
            {
                cursors[cursor.EntityType] = cursor;
            }

            // The lease row's version guards the write: a run queued or started since it was read fails it. The
            // cursors ride on the row (a merge of that column alone); without a row, an insert that fails when a run
            // creates one first. Cursor rows of an earlier release go in the same transaction.
            var batch = new TableBatch();
            if (lease is null)
            {
                batch.Add(LeaseCursors.Put(new LeaseRow(connectionId) { Owner = "", ExpiresAt = DateTimeOffset.UnixEpoch }.ToEntity(), cursors));
            }
            else
            {
                stored.DeleteLegacy(batch.Merge(LeaseCursors.Put(new LeaseRow(connectionId).ToEntity(), cursors), lease.ETag));
            }

            try
            {
                await batch.SubmitAsync(table, ct);
                return Race.Won(new CursorReset(true, null, rewound));
            }
            catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed() || (stored.LegacyRows.Count > 0 && ex.IsNotFound()))
            {
                return Race.Lost<CursorReset>();
            }
        }, MaxRaceRetries, $"The lease row of connection {connectionId}", time, cancellationToken);
    }
}

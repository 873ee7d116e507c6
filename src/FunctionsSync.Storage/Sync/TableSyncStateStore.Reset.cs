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
            var lease = await ReadLeaseAsync(table, connectionId, SyncLane.Main, ct);
            if (lease?.ActiveRunId is { Length: > 0 } active && await GetRunAsync(active, ct) is { } run && !run.Status.IsFinal())
            {
                return Race.Won(CursorReset.Refused(active));
            }

            if (lease?.HeldAt(time.GetUtcNow()) == true)
            {
                return Race.Won(CursorReset.Refused(null));
            }

            var stored = await GetCursorsAsync(connectionId, SyncLane.Main, ct);
            var rewound = types.Select(t => (stored.GetValueOrDefault(t) ?? new EntityCursor { EntityType = t }).Rewound()).ToList();
            var batch = new TableBatch();
            // The lease row's version guards the write: a run queued or started since it was read fails it.
            // A merge of no columns changes nothing on the row but its version; without a row, an insert that fails
            // when a run creates one first.
            if (lease is null)
            {
                batch.Add(new LeaseRow(connectionId) { Owner = "", ExpiresAt = DateTimeOffset.UnixEpoch }.ToEntity());
            }
            else
            {
                batch.Merge(new LeaseRow(connectionId).ToEntity(), lease.ETag);
            }

            foreach (var cursor in rewound)
            {
                batch.UpsertReplace(CursorRow.ToEntity(connectionId, cursor));
            }

            try
            {
                await batch.SubmitAsync(table, ct);
                return Race.Won(new CursorReset(true, null, rewound));
            }
            catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                return Race.Lost<CursorReset>();
            }
        }, MaxRaceRetries, $"The lease row of connection {connectionId}", time, cancellationToken);
    }
}

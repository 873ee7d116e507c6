using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Storage;
using FunctionsSync.Core.Sync;
using FunctionsSync.Storage.Sync;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>
/// How many records a connection has stored, per entity type, without reading them: what runs stored is counted in
/// each cursor (<see cref="EntityCursor.StoredRecords"/>, saved in the checkpoint transaction with the page's cursor,
/// so a page repeated after a crash is counted once); the rare row written outside a run (a conflict resolution that
/// brings back a record never stored) is counted in row <c>added|{entityType}</c> of partition <c>{connection}|meta</c>.
/// </summary>
internal sealed class RecordCounters(TableProvider tables, TimeProvider time)
{
    private const string AddedPrefix = "added|";
    private const int MaxRaceRetries = 10;

    /// <summary>Two reads: the connection's lease row (its cursors) and its meta partition's counters (a key range).</summary>
    public async Task<IReadOnlyDictionary<EntityType, long>> CountAsync(string connectionId, CancellationToken cancellationToken)
    {
        var state = await tables.GetAsync(TableNames.SyncState, cancellationToken);
        var records = await tables.GetAsync(TableNames.Records, cancellationToken);
        var cursorsTask = LeaseCursors.ReadAsync(state, connectionId, SyncLane.Main, cancellationToken);
        var addedTask = records.ReadAllAsync(TableQueries.PartitionPrefix(RecordLayouts.MetaPartition(connectionId), AddedPrefix),
            e => (Type: EntityTypes.Parse(e.RowKey[AddedPrefix.Length..]), Count: e.GetInt64("Count") ?? 0), cancellationToken);
        var counts = EntityTypes.All.ToDictionary(t => t, _ => 0L);
        foreach (var cursor in (await cursorsTask).Cursors.Values)
        {
            counts[cursor.EntityType] += cursor.StoredRecords;
        }

        foreach (var (type, count) in await addedTask)
        {
            counts[type] += count;
        }

        return counts;
    }

    /// <param name="delta">Records stored (positive) or tombstoned (negative) outside a run.</param>
    public async Task AddOutsideRunAsync(string connectionId, EntityType type, CancellationToken cancellationToken, long delta = 1)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var partition = RecordLayouts.MetaPartition(connectionId);
        var rowKey = AddedPrefix + type.ToWire();
        // Created when absent (a lost race: another writer created it first) or replaced at the version read.
        await Race.RunAsync(async (_, ct) =>
        {
            var current = await table.GetAsync(partition, rowKey, ct);
            var next = new TableEntity(partition, rowKey) { ["Count"] = (current?.GetInt64("Count") ?? 0) + delta };
            try
            {
                if (current is null)
                {
                    await table.AddEntityAsync(next, ct);
                }
                else
                {
                    await table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, ct);
                }

                return Race.Won(true);
            }
            catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                return Race.Lost<bool>();
            }
        }, MaxRaceRetries, $"The record counter of {connectionId}", time, cancellationToken);
    }
}

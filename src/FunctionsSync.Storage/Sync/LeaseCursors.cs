using Azure.Data.Tables;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Sync;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// Column <c>Cursors</c> of a lane's lease row: all the lane's cursors as one JSON list. The lease holder owns them, so
/// its checkpoints carry them in the merge that renews the lease, and taking the lease reads them with no query of
/// their own. Lease rows of earlier releases lack the column: their cursors are rows <c>cursor|{type}</c>
/// (<see cref="CursorRow"/>), read with a key-range query until the next lease taken or cursor reset moves them here
/// and deletes them, in one transaction guarded by the lease row's version.
/// </summary>
internal static class LeaseCursors
{
    public const string Column = "Cursors";

    /// <summary>Parts of 32,000 characters (<see cref="LargeText"/>): 128,000 in all, a row far under its 1 MiB.</summary>
    private const int MaxParts = 4;

    public static readonly IReadOnlyDictionary<EntityType, EntityCursor> None = new Dictionary<EntityType, EntityCursor>();

    /// <summary>The cursors on the lease row; null when the row predates the column.</summary>
    public static IReadOnlyDictionary<EntityType, EntityCursor>? Read(TableEntity lease) =>
        LargeText.Read(lease, Column) is { } json ? StorageJson.Deserialize<List<EntityCursor>>(json).ToDictionary(c => c.EntityType) : null;

    /// <summary>
    /// Sets the column on a lease row's entity. Every part is written, empty where unused: a merge leaves columns it does
    /// not name, so a shorter list would otherwise be read back with the tail of a longer earlier one.
    /// </summary>
    public static TableEntity Put(TableEntity lease, IReadOnlyDictionary<EntityType, EntityCursor> cursors)
    {
        LargeText.Write(lease, Column, StorageJson.Serialize(cursors.Values.OrderBy(c => c.EntityType).ToList()), MaxParts, "cursors");
        for (var i = 1; i < MaxParts; i++)
        {
            lease.TryAdd($"{Column}_{i}", "");
        }

        return lease;
    }

    /// <summary>
    /// The lane's lease row and its cursors: from the column, or (a row of an earlier release) from the legacy cursor
    /// rows, which come back too so a writer can delete them as it moves their cursors onto the row.
    /// </summary>
    public static async Task<Stored> ReadAsync(TableClient table, string connectionId, SyncLane lane, CancellationToken cancellationToken)
    {
        var entity = await table.GetAsync(LeaseRow.Partition(connectionId), LeaseRow.KeyOf(lane), cancellationToken);
        if (entity is not null && Read(entity) is { } cursors)
        {
            return new(LeaseRow.FromEntity(entity), cursors, []);
        }

        // No lease row yet: a connection whose first run is being queued has no cursors, except one reset before it
        // ever ran, which writes a lease row too; so a missing row needs no query either.
        if (entity is null)
        {
            return new(null, None, []);
        }

        var legacy = await table.ReadAllAsync(TableQueries.PartitionPrefix(LeaseRow.Partition(connectionId), CursorRow.PrefixOf(lane)), e => e, cancellationToken);
        return new(LeaseRow.FromEntity(entity), legacy.Select(CursorRow.FromEntity).ToDictionary(c => c.EntityType), legacy);
    }

    /// <param name="Lease">The lease row; null when there is none.</param>
    /// <param name="LegacyRows">Cursor rows of an earlier release still to move onto the lease row (empty once moved).</param>
    public sealed record Stored(LeaseRow? Lease, IReadOnlyDictionary<EntityType, EntityCursor> Cursors, IReadOnlyList<TableEntity> LegacyRows)
    {
        /// <summary>Deletes the legacy rows in <paramref name="batch"/>, whose lease-row action carries their cursors now.</summary>
        public TableBatch DeleteLegacy(TableBatch batch)
        {
            foreach (var row in LegacyRows)
            {
                batch.Delete(row, row.ETag.ToString());
            }

            return batch;
        }
    }
}

using Azure.Data.Tables;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Sync;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// Row <c>cursor|{entityType}</c> of a connection's <c>syncstate</c> partition (<c>backfill|cursor|{entityType}</c> on its
/// backfill lane): a cursor as JSON, as releases before <see cref="LeaseCursors"/> kept them. Only read now, until the
/// lane's next lease moves them onto its lease row (<see cref="ToEntity"/> recreates that layout in tests).
/// </summary>
internal static class CursorRow
{
    public const string Prefix = "cursor|";

    public static string PrefixOf(SyncLane lane) => lane == SyncLane.Main ? Prefix : "backfill|" + Prefix;

    public static TableEntity ToEntity(string connectionId, EntityCursor cursor, SyncLane lane = SyncLane.Main) =>
        new(LeaseRow.Partition(connectionId), PrefixOf(lane) + cursor.EntityType.ToWire()) { ["Json"] = StorageJson.Serialize(cursor) };

    public static EntityCursor FromEntity(TableEntity entity) => StorageJson.Deserialize<EntityCursor>(entity.GetString("Json"));
}

using Azure.Data.Tables;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Sync;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

/// <summary>Row <c>cursor|{entityType}</c> of a connection's <c>syncstate</c> partition: the cursor as JSON.</summary>
internal static class CursorRow
{
    public const string Prefix = "cursor|";

    public static TableEntity ToEntity(string connectionId, EntityCursor cursor) =>
        new(LeaseRow.Partition(connectionId), Prefix + cursor.EntityType.ToWire()) { ["Json"] = StorageJson.Serialize(cursor) };

    public static EntityCursor FromEntity(TableEntity entity) => StorageJson.Deserialize<EntityCursor>(entity.GetString("Json"));
}

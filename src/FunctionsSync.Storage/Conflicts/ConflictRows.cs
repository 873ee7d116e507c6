using Azure.Data.Tables;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Conflicts;

/// <summary>
/// Table <c>conflicts</c>: partition = connection, row = conflict id (<c>cf_…</c>), the conflict as JSON plus the
/// columns listings filter on. The partition also holds the <c>conflict.created</c> outbox rows.
/// </summary>
internal static class ConflictRows
{
    public const string IdPrefix = "cf_";

    public static TableEntity ToEntity(string partition, Conflict conflict)
    {
        var entity = new TableEntity(partition, conflict.Id)
        {
            ["OrganizationId"] = conflict.OrganizationId,
            ["Status"] = conflict.Status.ToString(),
            ["Type"] = conflict.Type.ToString(),
            ["Json"] = StorageJson.Serialize(conflict),
        };
        if (conflict.NextAttemptAt is { } next)
        {
            entity["NextAttemptAt"] = next;
        }

        return entity;
    }

    public static Conflict FromEntity(TableEntity entity) =>
        StorageJson.Deserialize<Conflict>(entity.GetString("Json")) with { Version = entity.ETag.ToString() };
}

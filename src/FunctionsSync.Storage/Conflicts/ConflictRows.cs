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
        };
        try
        {
            LargeText.Write(entity, "Json", StorageJson.Serialize(conflict), MaxJsonParts, "conflict");
        }
        catch (Core.Storage.TooLargeToStoreException)
        {
            // A marketplace version too large to keep beside the conflict: the conflict stands without it (accepting
            // the marketplace version then re-reads it at the next sync); it never fails the write of the page.
            LargeText.Write(entity, "Json", StorageJson.Serialize(conflict with { SourceJson = null }), MaxJsonParts, "conflict");
        }
        if (conflict.NextAttemptAt is { } next)
        {
            entity["NextAttemptAt"] = next;
        }

        return entity;
    }

    public static Conflict FromEntity(TableEntity entity) =>
        StorageJson.Deserialize<Conflict>(LargeText.Read(entity, "Json")!) with { Version = entity.ETag.ToString() };

    /// <summary>A conflict row's JSON spans at most this many properties (it may carry a record's marketplace version).</summary>
    private const int MaxJsonParts = 14;
}

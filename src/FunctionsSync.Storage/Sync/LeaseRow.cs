using Azure.Data.Tables;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// Row <c>lease</c> of a connection's <c>syncstate</c> partition (<c>lease|backfill</c> for its backfill lane): who
/// holds the lane, its active run and how its last run ended. Writes are merges, so each writer names only the columns
/// it owns: a null property is left as it is, an empty <see cref="ActiveRunId"/> or <see cref="Owner"/> clears it.
/// </summary>
internal sealed record LeaseRow(string ConnectionId, SyncLane Lane = SyncLane.Main)
{
    public const string MainKey = "lease";

    public string Key => KeyOf(Lane);

    public static string KeyOf(SyncLane lane) => lane == SyncLane.Main ? MainKey : MainKey + "|backfill";

    public string? Owner { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? ActiveRunId { get; init; }

    public string? OrganizationId { get; init; }

    public string? LastRunId { get; init; }

    public RunStatus? LastRunStatus { get; init; }

    public DateTimeOffset? LastRunFinishedAt { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }

    public string? ETag { get; init; }

    public static string Partition(string connectionId) => TableKeys.Encode(connectionId);

    /// <summary>The columns a finished run leaves on the row.</summary>
    public LeaseRow WithLastRun(SyncRun run) => this with
    {
        LastRunId = run.RunId,
        LastRunStatus = run.Status,
        LastRunFinishedAt = run.FinishedAt ?? run.UpdatedAt,
        LastSuccessAt = run.Status is RunStatus.Succeeded or RunStatus.Partial ? run.FinishedAt ?? run.UpdatedAt : LastSuccessAt,
    };

    public TableEntity ToEntity()
    {
        var entity = new TableEntity(Partition(ConnectionId), Key);
        Put(entity, nameof(Owner), Owner);
        Put(entity, nameof(ExpiresAt), ExpiresAt);
        Put(entity, nameof(ActiveRunId), ActiveRunId);
        Put(entity, nameof(OrganizationId), OrganizationId);
        Put(entity, nameof(LastRunId), LastRunId);
        Put(entity, nameof(LastRunStatus), LastRunStatus?.ToString());
        Put(entity, nameof(LastRunFinishedAt), LastRunFinishedAt);
        Put(entity, nameof(LastSuccessAt), LastSuccessAt);
        return entity;
    }

    public static LeaseRow FromEntity(TableEntity entity) => new(TableKeys.Decode(entity.PartitionKey), entity.RowKey == MainKey ? SyncLane.Main : SyncLane.Backfill)
    {
        Owner = Text(entity, nameof(Owner)),
        ExpiresAt = entity.GetDateTimeOffset(nameof(ExpiresAt)),
        ActiveRunId = Text(entity, nameof(ActiveRunId)),
        OrganizationId = Text(entity, nameof(OrganizationId)),
        LastRunId = Text(entity, nameof(LastRunId)),
        LastRunStatus = Text(entity, nameof(LastRunStatus)) is { } status ? Enum.Parse<RunStatus>(status) : null,
        LastRunFinishedAt = entity.GetDateTimeOffset(nameof(LastRunFinishedAt)),
        LastSuccessAt = entity.GetDateTimeOffset(nameof(LastSuccessAt)),
        ETag = entity.ETag.ToString(),
    };

    /// <summary>Whether a runner holds the lease at <paramref name="now"/>.</summary>
    public bool HeldAt(DateTimeOffset now) => !string.IsNullOrEmpty(Owner) && ExpiresAt > now;

    public ConnectionSyncState ToState() =>
        new(ConnectionId, ActiveRunId, Owner, ExpiresAt, LastRunId, LastRunStatus, LastRunFinishedAt, LastSuccessAt, ETag);

    private static string? Text(TableEntity entity, string name) => entity.GetString(name) is { Length: > 0 } value ? value : null;

    private static void Put(TableEntity entity, string name, object? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }
}

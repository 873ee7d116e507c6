using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Notifications;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Storage;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Notifications;

/// <summary>
/// Table <c>notifications</c>, partition per connection: the recent event ids in <see cref="Shards"/> rows
/// (<c>recent|{shard}</c>, by a hash of the id), each keeping its last <see cref="IdsPerShard"/>, so a burst of
/// notifications contends on sixteen rows rather than one and the window stays bounded (a duplicate comes within
/// minutes or hours, long before that many other changes); and row <c>pending</c>, the feeds notified while a run was
/// in flight with the records named, written only when it gains one. Every change is a conditional replace.
/// </summary>
internal sealed class TableNotificationInbox(TableProvider tables, TimeProvider time) : INotificationInbox
{
    private const int Shards = 16;
    private const int IdsPerShard = 32;
    private const string PendingKey = "pending";
    private const int MaxRaceRetries = 20;

    public Task<bool> TryRecordAsync(string connectionId, string eventId, CancellationToken cancellationToken) =>
        ChangeAsync(connectionId, ShardOf(eventId), row => row.Recent.Contains(eventId, StringComparer.Ordinal)
            ? (false, null)
            : (true, row with { Recent = [.. row.Recent.TakeLast(IdsPerShard - 1), eventId] }), cancellationToken);

    public Task ForgetAsync(string connectionId, string eventId, CancellationToken cancellationToken) =>
        ChangeAsync(connectionId, ShardOf(eventId), row => row.Recent.Contains(eventId, StringComparer.Ordinal)
            ? (true, row with { Recent = [.. row.Recent.Where(id => id != eventId)] })
            : (false, null), cancellationToken);

    public Task AddPendingAsync(string connectionId, IReadOnlyList<RunTarget> feeds, int maxIds, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(connectionId, PendingKey, row =>
        {
            var merged = RunTarget.Merge(row.Pending, feeds, maxIds);
            return merged.SequenceEqual(row.Pending, TargetComparer.Instance)
                ? (false, null)
                : (true, row with { Pending = merged, PendingSince = row.PendingSince ?? at });
        }, cancellationToken);

    public async Task<IReadOnlyList<RunTarget>> TakePendingAsync(string connectionId, CancellationToken cancellationToken)
    {
        IReadOnlyList<RunTarget> taken = [];
        await ChangeAsync(connectionId, PendingKey, row =>
        {
            taken = row.Pending;
            return (true, row.Pending.Count == 0 ? null : row with { Pending = [], PendingSince = null });
        }, cancellationToken);
        return taken;
    }

    private static string ShardOf(string eventId) => $"recent|{TableKeys.StableHash(eventId) % Shards:x1}";

    /// <summary>Reads the row, applies <paramref name="change"/> (null: nothing to write) and writes it if unchanged meanwhile.</summary>
    private async Task<bool> ChangeAsync(string connectionId, string key, Func<InboxRow, (bool Result, InboxRow? Changed)> change, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Notifications, cancellationToken);
        var partition = TableKeys.Encode(connectionId);
        return await Race.RunAsync(async (_, ct) =>
        {
            var entity = await table.GetAsync(partition, key, ct);
            var row = entity is null ? InboxRow.Empty : InboxRow.From(entity);
            var (result, changed) = change(row);
            if (changed is null)
            {
                return Race.Won(result);
            }

            var next = changed.ToEntity(partition, key);
            try
            {
                if (entity is null)
                {
                    await table.AddEntityAsync(next, ct);
                }
                else
                {
                    await table.UpdateEntityAsync(next, entity.ETag, TableUpdateMode.Replace, ct);
                }

                return Race.Won(result);
            }
            catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                return Race.Lost<bool>();
            }
        }, MaxRaceRetries, $"The notification inbox of connection {connectionId}", time, cancellationToken);
    }

    /// <summary>
    /// Column <c>Pending</c> the feeds read whole (wire names, comma-separated), <c>Targets</c> the named ids of the others
    /// (JSON, wire name → ids); at most <see cref="Core.Notifications.NotificationOptions.MaxTargetedRecords"/> ids a feed.
    /// </summary>
    private sealed record InboxRow(IReadOnlyList<string> Recent, IReadOnlyList<RunTarget> Pending, DateTimeOffset? PendingSince)
    {
        public static InboxRow Empty { get; } = new([], [], null);

        public static InboxRow From(TableEntity entity)
        {
            var whole = (entity.GetString("Pending") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => new RunTarget(EntityTypes.Parse(t), null));
            var named = (JsonSerializer.Deserialize<Dictionary<string, string[]>>(entity.GetString("Targets") ?? "{}") ?? [])
                .Select(t => new RunTarget(EntityTypes.Parse(t.Key), t.Value));
            return new(
                JsonSerializer.Deserialize<string[]>(entity.GetString("Recent") ?? "[]") ?? [],
                [.. whole.Concat(named).OrderBy(t => t.EntityType)],
                entity.GetDateTimeOffset("PendingSince"));
        }

        public TableEntity ToEntity(string partition, string key)
        {
            var entity = new TableEntity(partition, key)
            {
                ["Recent"] = JsonSerializer.Serialize(Recent),
                ["Pending"] = string.Join(',', Pending.Where(t => t.Ids is null).Select(t => t.EntityType.ToWire())),
                ["Targets"] = JsonSerializer.Serialize(Pending.Where(t => t.Ids is not null).ToDictionary(t => t.EntityType.ToWire(), t => t.Ids)),
            };
            if (PendingSince is { } since)
            {
                entity["PendingSince"] = since;
            }

            return entity;
        }
    }

    /// <summary>Feeds equal by type and ids, so a notification that adds nothing writes nothing.</summary>
    private sealed class TargetComparer : IEqualityComparer<RunTarget>
    {
        public static readonly TargetComparer Instance = new();

        public bool Equals(RunTarget? x, RunTarget? y) =>
            x!.EntityType == y!.EntityType && (x.Ids is null ? y.Ids is null : y.Ids is not null && x.Ids.SequenceEqual(y.Ids, StringComparer.Ordinal));

        public int GetHashCode(RunTarget obj) => obj.EntityType.GetHashCode();
    }
}

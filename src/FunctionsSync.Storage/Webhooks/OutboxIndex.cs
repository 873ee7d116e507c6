using Azure.Data.Tables;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>
/// Partition <c>outbox</c> of table <c>indexes</c>: one row per outbox row, keyed <c>{createdTicks}|{table}|{partition}|{eventId}</c>,
/// so the sweep for events waiting too long reads the oldest index rows instead of filtering whole tables. An entry
/// is written before its outbox row and removed after it: an entry whose row never came (its transaction failed) is
/// dropped by the sweep that finds it.
/// </summary>
internal sealed class OutboxIndex(TableProvider tables)
{
    private const string Partition = "outbox";

    public async Task AddAsync(string tableName, string partition, IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var table = await Table(cancellationToken);
        var batch = new TableBatch();
        foreach (var e in events)
        {
            batch.UpsertReplace(new TableEntity(Partition, Key(new(e.CreatedAt, tableName, partition, e.EventId))));
        }

        await batch.SubmitAsync(table, cancellationToken);
    }

    /// <summary>The oldest entries created before <paramref name="before"/>: one key-range read.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(DateTimeOffset before, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await table.ReadAllAsync(TableQueries.PartitionRange(Partition, "", Ticks(before)), e => Parse(e.RowKey), cancellationToken, take, ["RowKey"]);
    }

    public async Task RemoveAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.DeleteIfExistsAsync(Partition, Key(entry), cancellationToken);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Indexes, cancellationToken);

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19");

    private static string Key(OutboxEntry e) => $"{Ticks(e.CreatedAt)}|{e.Table}|{e.Partition}|{e.EventId}";

    private static OutboxEntry Parse(string rowKey)
    {
        var parts = rowKey.Split('|', 4);
        return new(new DateTimeOffset(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero), parts[1], parts[2], parts[3]);
    }
}

/// <summary>Where an outbox row is: its table and partition, and when its event was created.</summary>
internal sealed record OutboxEntry(DateTimeOffset CreatedAt, string Table, string Partition, string EventId);

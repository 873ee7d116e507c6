using Azure.Data.Tables;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>The outbox rows of both tables that write them (see <see cref="OutboxRows"/>), found through <see cref="OutboxIndex"/>.</summary>
internal sealed class TableOutbox(TableProvider tables, OutboxIndex index) : IOutbox
{
    private static readonly string[] OutboxTables = [TableNames.SyncState, TableNames.Conflicts];

    public async Task<OutboxEvent?> GetAsync(string connectionId, string eventId, CancellationToken cancellationToken) =>
        (await FindAsync(connectionId, eventId, cancellationToken))?.Event;

    /// <summary>Reads the oldest index entries (a key range), then each entry's row (a point read).</summary>
    public async Task<IReadOnlyList<OutboxEvent>> ListWaitingAsync(DateTimeOffset before, int take, CancellationToken cancellationToken)
    {
        var waiting = new List<OutboxEvent>();
        foreach (var entry in await index.ListAsync(before, take, cancellationToken))
        {
            var table = await tables.GetAsync(entry.Table, cancellationToken);
            if (await table.GetAsync(entry.Partition, OutboxRows.Prefix + entry.EventId, cancellationToken) is { } row)
            {
                waiting.Add(OutboxRows.FromEntity(row));
            }
            else
            {
                // Its transaction failed, or the row was delivered and removed before the entry was.
                await index.RemoveAsync(entry, cancellationToken);
            }
        }

        return waiting;
    }

    public async Task RemoveAsync(string connectionId, string eventId, CancellationToken cancellationToken)
    {
        if (await FindAsync(connectionId, eventId, cancellationToken) is not { } found)
        {
            return;
        }

        var table = await tables.GetAsync(found.Table, cancellationToken);
        await table.DeleteIfExistsAsync(TableKeys.Encode(connectionId), OutboxRows.Prefix + eventId, cancellationToken);
        await index.RemoveAsync(new OutboxEntry(found.Event.CreatedAt, found.Table, TableKeys.Encode(connectionId), eventId), cancellationToken);
    }

    private async Task<(string Table, OutboxEvent Event)?> FindAsync(string connectionId, string eventId, CancellationToken cancellationToken)
    {
        foreach (var name in OutboxTables)
        {
            var table = await tables.GetAsync(name, cancellationToken);
            if (await table.GetAsync(TableKeys.Encode(connectionId), OutboxRows.Prefix + eventId, cancellationToken) is { } entity)
            {
                return (name, OutboxRows.FromEntity(entity));
            }
        }

        return null;
    }
}

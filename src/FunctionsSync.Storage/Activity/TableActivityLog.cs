using FunctionsSync.Core.Activity;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Activity;

/// <summary>Table <c>activity</c>: partition = connection, row key = inverted time so a partition reads newest first.</summary>
public sealed class TableActivityLog(TableProvider tables) : IActivityLog
{
    public async Task AppendAsync(ActivityEntry entry, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Activity, cancellationToken);
        var rowKey = $"{DateTimeOffset.MaxValue.UtcTicks - entry.At.UtcTicks:D19}_{Guid.NewGuid():N}";
        var entity = new DynamicTableEntity(TableKeys.Encode(entry.ConnectionId), rowKey)
        {
            Properties =
            {
                ["At"] = new EntityProperty(entry.At),
                ["Actor"] = new EntityProperty(entry.Actor),
                ["Action"] = new EntityProperty(entry.Action),
                ["Subject"] = new EntityProperty(entry.Subject),
                ["Details"] = new EntityProperty(entry.Details),
            },
        };
        await table.ExecuteAsync(TableOperation.Insert(entity), null, null, cancellationToken);
    }

    public async Task<IReadOnlyList<ActivityEntry>> ListAsync(string connectionId, int take, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Activity, cancellationToken);
        var query = new TableQuery<DynamicTableEntity>().Where(TableQueries.Partition(TableKeys.Encode(connectionId))).Take(take);
        return await table.ReadAllAsync(query, e => new ActivityEntry(
            connectionId,
            e.Properties["At"].DateTimeOffsetValue ?? e.Timestamp,
            e.Properties["Actor"].StringValue,
            e.Properties["Action"].StringValue,
            e.Properties["Subject"].StringValue,
            e.Properties.TryGetValue("Details", out var details) ? details.StringValue : null), cancellationToken);
    }
}

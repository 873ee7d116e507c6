using Azure.Data.Tables;
using FunctionsSync.Core.Connections;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Activity;

/// <summary>
/// Table <c>activity</c>: partition = connection, row key = inverted time + a random suffix so a partition reads
/// newest first (and an age cut-off is a key range); columns <c>At</c>, <c>Actor</c>, <c>Action</c>, <c>Subject</c>, <c>Details</c>.
/// </summary>
internal sealed class TableActivityLog(TableProvider tables) : IActivityLog
{
    public async Task AppendAsync(ActivityEntry entry, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Activity, cancellationToken);
        var entity = new TableEntity(TableKeys.Encode(entry.ConnectionId), $"{KeyAt(entry.At)}_{Guid.NewGuid():N}")
        {
            ["At"] = entry.At,
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
            ["Subject"] = entry.Subject,
            ["Details"] = entry.Details,
        };
        await table.AddEntityAsync(entity, cancellationToken);
    }

    /// <summary>The first rows of the connection's partition: newest first.</summary>
    public async Task<IReadOnlyList<ActivityEntry>> ListAsync(string connectionId, int take, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Activity, cancellationToken);
        return await table.ReadAllAsync(TableQueries.Partition(TableKeys.Encode(connectionId)), e => new ActivityEntry(
            connectionId,
            e.GetDateTimeOffset("At") ?? e.Timestamp ?? DateTimeOffset.MinValue,
            e.GetString("Actor"),
            e.GetString("Action"),
            e.GetString("Subject"),
            e.GetString("Details")), cancellationToken, take);
    }

    /// <summary>Row keys of entries older than <paramref name="at"/> sort at or after this key.</summary>
    public static string KeyAt(DateTimeOffset at) => $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}";
}

using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Events;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Events;

/// <summary>
/// Live events in one table per UTC day (<c>events{yyyyMMdd}</c>, so retention drops whole days with one call).
/// Each event is written twice, to partition <c>*|{hour}</c> (the admin's stream) and <c>o:{organization}|{hour}</c>
/// (that organization's), row key = its id: a stream reads only its own partition of the hours it spans, rows after
/// its position — a key range that grows with the events since, never with history.
/// </summary>
internal sealed class TableLiveEventLog(TableProvider tables, StorageClients clients) : ILiveEventLog
{
    private const string TablePrefix = "events";

    public async Task AppendAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        var rows = events.SelectMany(e => new[] { Row(e, AllScope), Row(e, OrganizationScope(e.OrganizationId)) });
        foreach (var byTable in rows.GroupBy(r => r.Table))
        {
            var table = await tables.GetAsync(byTable.Key, cancellationToken);
            foreach (var partition in byTable.GroupBy(r => r.Entity.PartitionKey))
            {
                foreach (var chunk in partition.Chunk(TableBatch.MaxActions))
                {
                    var batch = new TableBatch();
                    foreach (var row in chunk)
                    {
                        batch.UpsertReplace(row.Entity);
                    }

                    await batch.SubmitAsync(table, cancellationToken);
                }
            }
        }
    }

    public async Task<IReadOnlyList<LiveEvent>> ReadAfterAsync(string? organizationId, string afterId, DateTimeOffset until, int take, CancellationToken cancellationToken)
    {
        if (!LiveEventIds.TryParse(afterId, out var from))
        {
            throw new FormatException("Not an event id.");
        }

        var scope = organizationId is null ? AllScope : OrganizationScope(organizationId);
        var events = new List<LiveEvent>();
        var hour = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, 0, 0, TimeSpan.Zero);
        for (; hour <= until && events.Count < take; hour = hour.AddHours(1))
        {
            var table = await tables.GetAsync(TableName(hour), cancellationToken);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(scope, hour)} and RowKey gt {afterId}");
            await foreach (var entity in table.QueryAllAsync(filter, cancellationToken, take - events.Count))
            {
                events.Add(new LiveEvent(
                    entity.RowKey,
                    entity.GetString("Type") ?? "",
                    entity.GetString("OrganizationId") ?? "",
                    entity.GetDateTimeOffset("At") ?? hour,
                    entity.GetString("Data") ?? "{}"));
            }
        }

        return events;
    }

    /// <summary>Drops the day tables older than <paramref name="cutoff"/> (the <paramref name="days"/> days before it that may still exist).</summary>
    public async Task<int> DropDaysBeforeAsync(DateTimeOffset cutoff, int days, CancellationToken cancellationToken)
    {
        var dropped = 0;
        for (var day = 1; day <= days; day++)
        {
            var name = StorageNames.Full(clients.Prefix, TableName(cutoff.AddDays(-day)));
            try
            {
                await clients.Tables.DeleteTableAsync(name, cancellationToken);
                dropped++;
            }
            catch (RequestFailedException ex) when (ex.IsNotFound())
            {
            }
        }

        return dropped;
    }

    private const string AllScope = "*";

    private static string OrganizationScope(string organizationId) => "o:" + TableKeys.Encode(organizationId);

    private static string TableName(DateTimeOffset at) => TablePrefix + at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Partition(string scope, DateTimeOffset at) => $"{scope}|{LiveEventIds.Bucket(at)}";

    private static (string Table, TableEntity Entity) Row(LiveEvent e, string scope)
    {
        LiveEventIds.TryParse(e.Id, out var at);
        return (TableName(at), new TableEntity(Partition(scope, at), e.Id)
        {
            ["Type"] = e.Type,
            ["OrganizationId"] = e.OrganizationId,
            ["At"] = e.At,
            ["Data"] = e.Data,
        });
    }
}

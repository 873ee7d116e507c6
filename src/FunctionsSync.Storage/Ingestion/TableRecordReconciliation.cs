using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Deletions;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Storage;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Sync;
using FunctionsSync.Storage.Tables;
using FunctionsSync.Storage.Webhooks;

namespace FunctionsSync.Storage.Ingestion;

/// <summary>
/// Reconciliation on tables. A page's ids go to table <c>recordseen</c>, partition <c>{run}|{entityType}</c>, one row
/// per record bucket the page touched (<c>{bucket}|{pageSeq}</c>, the row keys newline-separated), in one transaction.
/// Tombstoning walks bucket by bucket: the run's ids of the bucket (a key range) against the bucket's stored row keys
/// (one partition, keys only), so memory holds one bucket's ids. A tombstone is a merge of <c>DeletedAt</c> onto the
/// row, conditional on the version just read; its <c>record.deleted</c> event is written first, to the connection's
/// outbox partition, so a reconciliation cut short and run again (same run, same event ids) loses no event.
/// </summary>
internal sealed class TableRecordReconciliation(
    TableProvider tables, RecordLayouts layouts, RecordCounters counters, OutboxIndex outboxIndex, Retention.TombstoneIndex tombstones, TimeProvider time) : IRecordReconciliation
{
    /// <summary>A page's ids of one bucket over at most this many properties: 14 × 32 K characters.</summary>
    private const int MaxIdParts = 14;

    /// <summary>Two actions per tombstone would not fit; the event goes to another table, so a batch holds the row merges alone.</summary>
    private const int TombstonesPerBatch = TableBatch.MaxActions;

    private const int MaxRaceRetries = 5;

    private static readonly string[] KeyColumns = ["RowKey", "DeletedAt"];

    public async Task NoteSeenAsync(SeenPage page, CancellationToken cancellationToken)
    {
        if (page.ExternalIds.Count == 0)
        {
            return;
        }

        var table = await tables.GetAsync(TableNames.RecordSeen, cancellationToken);
        var buckets = await layouts.ForWriteAsync(page.ConnectionId, cancellationToken);
        var batch = new TableBatch();
        foreach (var bucket in page.ExternalIds.Distinct(StringComparer.Ordinal).GroupBy(id => RecordLayouts.BucketOf(id, buckets)))
        {
            var row = new TableEntity(Partition(page.RunId, page.EntityType), $"{bucket.Key:x2}|{page.PageSeq:d12}");
            LargeText.Write(row, "Ids", string.Join('\n', bucket.Select(TableKeys.Encode)), MaxIdParts, "listed ids");
            batch.UpsertReplace(row);
        }

        await batch.SubmitAsync(table, cancellationToken);
    }

    public async Task<Tombstones> TombstoneUnseenAsync(ReconcileFeed feed, CancellationToken cancellationToken)
    {
        var seenTable = await tables.GetAsync(TableNames.RecordSeen, cancellationToken);
        var records = await tables.GetAsync(TableNames.Records, cancellationToken);
        var buckets = await layouts.ForReadAsync(feed.ConnectionId, cancellationToken);
        var events = new List<OutboxEvent>();
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var row in seenTable.QueryAllAsync(TableQueries.PartitionPrefix(Partition(feed.RunId, feed.EntityType), $"{bucket:x2}|"), cancellationToken))
            {
                seen.UnionWith((LargeText.Read(row, "Ids") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }

            var partition = RecordLayouts.Partition(feed.ConnectionId, feed.EntityType, bucket);
            var gone = new List<string>();
            await foreach (var row in records.QueryAllAsync(TableQueries.Partition(partition), cancellationToken, select: KeyColumns))
            {
                if (!seen.Contains(row.RowKey) && row.GetDateTimeOffset("DeletedAt") is null)
                {
                    gone.Add(row.RowKey);
                }
            }

            foreach (var chunk in gone.Chunk(TombstonesPerBatch))
            {
                events.AddRange(await Race.RunAsync((_, ct) => TombstoneAsync(records, partition, feed, chunk, ct), MaxRaceRetries, $"A record of {partition}", time, cancellationToken));
            }
        }

        await ForgetAsync(feed.RunId, feed.EntityType, cancellationToken);
        return new Tombstones(events.Count, events);
    }

    public async Task<Tombstones> TombstoneAsync(ReconcileFeed feed, IReadOnlyList<string> externalIds, CancellationToken cancellationToken)
    {
        var records = await tables.GetAsync(TableNames.Records, cancellationToken);
        var buckets = await layouts.ForReadAsync(feed.ConnectionId, cancellationToken);
        var events = new List<OutboxEvent>();
        foreach (var bucket in externalIds.Distinct(StringComparer.Ordinal).GroupBy(id => RecordLayouts.BucketOf(id, buckets)))
        {
            var partition = RecordLayouts.Partition(feed.ConnectionId, feed.EntityType, bucket.Key);
            var keys = bucket.Select(TableKeys.Encode).ToArray();
            events.AddRange(await Race.RunAsync((_, ct) => TombstoneAsync(records, partition, feed, keys, ct), MaxRaceRetries, $"A record of {partition}", time, cancellationToken));
        }

        // Outside a run, no cursor counts them: the connection's counter of records written outside runs does.
        if (events.Count > 0)
        {
            await counters.AddOutsideRunAsync(feed.ConnectionId, feed.EntityType, cancellationToken, -events.Count);
        }

        return new Tombstones(events.Count, events);
    }

    public async Task ForgetAsync(string runId, EntityType entityType, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.RecordSeen, cancellationToken);
        var batch = new TableBatch();
        await foreach (var row in table.QueryAllAsync(TableQueries.Partition(Partition(runId, entityType)), cancellationToken, select: ["PartitionKey", "RowKey"]))
        {
            batch.Delete(row, null);
            if (batch.Count == TableBatch.MaxActions)
            {
                await batch.SubmitAsync(table, cancellationToken);
                batch = new TableBatch();
            }
        }

        if (batch.Count > 0)
        {
            await batch.SubmitAsync(table, cancellationToken);
        }
    }

    /// <summary>Tombstones the rows of <paramref name="keys"/> still live, each after its event; a row changed meanwhile (a local edit) decides again.</summary>
    private async Task<RaceTry<IReadOnlyList<OutboxEvent>>> TombstoneAsync(TableClient records, string partition, ReconcileFeed feed, string[] keys, CancellationToken cancellationToken)
    {
        var live = (await RecordRows.ReadAsync(records, partition, keys, cancellationToken)).Where(r => !r.Value.State.Deleted).ToList();
        if (live.Count == 0)
        {
            return Race.Won<IReadOnlyList<OutboxEvent>>([]);
        }

        // To the millisecond, as a table stores it: the retention index finds the row by this time.
        var deletedAt = new DateTimeOffset(feed.Now.UtcTicks - (feed.Now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var events = live.Select(r => WebhookPayloads.ForDeletedRecord(feed.RunId, feed.ConnectionId, feed.OrganizationId, feed.Marketplace, feed.EntityType, TableKeys.Decode(r.Key), deletedAt)).ToList();
        var outboxPartition = LeaseRow.Partition(feed.ConnectionId);
        await outboxIndex.AddAsync(TableNames.SyncState, outboxPartition, events, cancellationToken);
        var outbox = new TableBatch();
        foreach (var e in events)
        {
            outbox.UpsertReplace(OutboxRows.ToEntity(outboxPartition, e));
        }

        await outbox.SubmitAsync(await tables.GetAsync(TableNames.SyncState, cancellationToken), cancellationToken);
        // Indexed before they are written, so the retention pass finds every tombstone (an entry without one is dropped).
        await tombstones.AddAsync(deletedAt, live.Select(r => Retention.TombstoneIndex.ItemKey(partition, r.Key)), cancellationToken);
        var batch = new TableBatch();
        foreach (var (key, (_, etag)) in live)
        {
            batch.Merge(new TableEntity(partition, key) { ["DeletedAt"] = deletedAt, ["RunId"] = feed.RunId }, etag.ToString());
        }

        try
        {
            await batch.SubmitAsync(records, cancellationToken);
            return Race.Won<IReadOnlyList<OutboxEvent>>(events);
        }
        catch (RequestFailedException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
        {
            return Race.Lost<IReadOnlyList<OutboxEvent>>();
        }
    }

    private static string Partition(string runId, EntityType type) => $"{TableKeys.Encode(runId)}|{type.ToWire()}";
}

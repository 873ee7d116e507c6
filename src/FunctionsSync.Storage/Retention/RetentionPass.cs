using Azure.Data.Tables;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Retention;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Activity;
using FunctionsSync.Storage.Receipts;
using FunctionsSync.Storage.Sync;
using FunctionsSync.Storage.Tables;
using FunctionsSync.Storage.Webhooks;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Storage.Retention;

/// <summary>
/// Deletes history beyond <see cref="RetentionOptions"/>, in bounded, resumable batches; no pass scans a table.
/// Runs and activity: the pass visits <see cref="RetentionOptions.ConnectionsPerPass"/> connections (in id order from
/// where the previous pass stopped, kept in row <c>position</c> of partition <c>retention</c> of table <c>indexes</c>) and
/// reads each one's run keys (a key range: at most the kept runs plus those added since) and its activity older than
/// the cut-off (a key range). Settled receipts and finished deliveries: the oldest entries of their
/// <see cref="SettledIndexes"/> partitions (a key range each), each checked against its row before deleting. Live
/// events: whole day tables, dropped.
/// </summary>
internal sealed class RetentionPass(
    TableProvider tables,
    ConnectionStateIndex states,
    RunHistoryIndex history,
    SettledIndexes settled,
    TombstoneIndex tombstones,
    Events.TableLiveEventLog events,
    IOptions<RetentionOptions> options,
    IOptions<Core.Events.LiveEventOptions> eventOptions,
    TimeProvider time) : IRetention
{
    private const string PositionPartition = "retention";
    private const string PositionRow = "position";

    private RetentionOptions Options => options.Value;

    public async Task<RetentionResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - Options.MaxAge;
        var (visited, runs, activity, wrapped) = await TrimConnectionsAsync(cutoff, cancellationToken);
        var receipts = await DeleteSettledReceiptsAsync(cutoff, cancellationToken);
        var deliveries = await DeleteFinishedDeliveriesAsync(cutoff, cancellationToken);
        var expired = await DeleteExpiredTombstonesAsync(time.GetUtcNow() - Options.TombstoneMaxAge, cancellationToken);
        // The run history's copies of runs past the cut-off, whatever became of their connection (one that was
        // deleted is no longer visited above).
        var copies = await history.RemoveStartedBeforeAsync(cutoff, Options.ItemsPerPass, cancellationToken);
        // Live events are read at most ResumeWindow back: the day tables before that day go (a week of names is tried,
        // each a 404 once gone).
        await events.DropDaysBeforeAsync(time.GetUtcNow() - eventOptions.Value.ResumeWindow - TimeSpan.FromDays(1), 7, cancellationToken);
        var more = !wrapped || receipts >= Options.ItemsPerPass || deliveries >= Options.ItemsPerPass || expired >= Options.ItemsPerPass
            || copies >= Options.ItemsPerPass;
        return new RetentionResult(visited, runs, activity, receipts, deliveries, more, expired);
    }

    private async Task<(int Visited, int Runs, int Activity, bool Wrapped)> TrimConnectionsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(TableNames.Indexes, cancellationToken);
        var position = (await index.GetAsync(PositionPartition, PositionRow, cancellationToken))?.GetString("After") ?? "";
        var all = (await states.ListAsync(cancellationToken)).OrderBy(s => s.ConnectionId, StringComparer.Ordinal).ToList();
        var batch = all.Where(s => string.CompareOrdinal(s.ConnectionId, position) > 0).Take(Options.ConnectionsPerPass).ToList();
        int runs = 0, activity = 0;
        foreach (var connection in batch)
        {
            runs += await TrimRunsAsync(connection, cutoff, cancellationToken);
            activity += await TrimActivityAsync(connection.ConnectionId, cutoff, cancellationToken);
        }

        // Past the last connection the next pass starts again from the first.
        var wrapped = batch.Count < Options.ConnectionsPerPass;
        var next = wrapped ? "" : batch[^1].ConnectionId;
        await index.UpsertEntityAsync(new TableEntity(PositionPartition, PositionRow) { ["After"] = next }, TableUpdateMode.Replace, cancellationToken);
        return (batch.Count, runs, activity, wrapped);
    }

    /// <summary>Keeps the newest <see cref="RetentionOptions.RunsPerConnection"/> runs younger than the cut-off, and any run not yet final.</summary>
    private async Task<int> TrimRunsAsync(LeaseRow connection, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken);
        var partition = LeaseRow.Partition(connection.ConnectionId);
        var rows = await table.ReadAllAsync(TableQueries.PartitionPrefix(partition, RunRow.Prefix),
            e => (e.RowKey, Status: Enum.TryParse<RunStatus>(e.GetString("Status"), out var s) ? s : RunStatus.Running), cancellationToken, select: ["RowKey", "Status"]);
        // Run keys are inverted start times: newest first, and every key after this one started before the cut-off.
        var oldKey = RunRow.Key($"{DateTimeOffset.MaxValue.UtcTicks - cutoff.UtcTicks:D19}");
        var doomed = rows
            .Select((row, rank) => (row.RowKey, row.Status, rank))
            .Where(r => r.Status.IsFinal() && (r.rank >= Options.RunsPerConnection || string.CompareOrdinal(r.RowKey, oldKey) > 0))
            .Where(r => connection.ActiveRunId is null || RunRow.Key(RunKeyOf(connection.ActiveRunId)) != r.RowKey)
            .ToList();
        // Operator requests left behind by those runs (few: a key range of the partition).
        var controls = (await table.ReadAllAsync(TableQueries.PartitionPrefix(partition, ControlRow.Prefix), e => e.RowKey, cancellationToken, select: ["RowKey"])).ToHashSet();
        var keys = doomed.Select(r => r.RowKey)
            .Concat(doomed.Select(r => ControlRow.Prefix + r.RowKey[RunRow.Prefix.Length..]).Where(controls.Contains))
            .ToList();
        // The history's copies first: a pass cut short then leaves runs whose copies are looked for again.
        await Parallel.ForEachAsync(doomed, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, (run, ct) =>
            new ValueTask(history.RemoveAsync(connection.ConnectionId, run.RowKey[RunRow.Prefix.Length..], connection.OrganizationId ?? "", run.Status, ct)));

        foreach (var chunk in keys.Chunk(TableBatch.MaxActions))
        {
            var batch = new TableBatch();
            foreach (var rowKey in chunk)
            {
                batch.Delete(new TableEntity(partition, rowKey), null);
            }

            await batch.SubmitAsync(table, cancellationToken);
        }

        return doomed.Count;
    }

    private async Task<int> TrimActivityAsync(string connectionId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Activity, cancellationToken);
        var partition = TableKeys.Encode(connectionId);
        var old = await table.ReadAllAsync(TableQueries.PartitionRange(partition, TableActivityLog.KeyAt(cutoff), "~"), e => e.RowKey, cancellationToken, Options.ItemsPerPass, ["RowKey"]);
        foreach (var chunk in old.Chunk(TableBatch.MaxActions))
        {
            var batch = new TableBatch();
            foreach (var rowKey in chunk)
            {
                batch.Delete(new TableEntity(partition, rowKey), null);
            }

            await batch.SubmitAsync(table, cancellationToken);
        }

        return old.Count;
    }

    private async Task<int> DeleteSettledReceiptsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Receipts, cancellationToken);
        var settledOld = await settled.Receipts.ReadDueAsync(cutoff, Options.ItemsPerPass, (key, ct) => TableReceiptStore.LoadAsync(table, key, ct), SettledIndexes.SettledAt, cancellationToken);
        foreach (var (at, key, receipt) in settledOld)
        {
            await table.DeleteIfExistsAsync(ReceiptRows.Partition(receipt.ConnectionId), ReceiptRows.RowKey(receipt.Receipt), cancellationToken);
            await settled.Receipts.RemoveAsync(at, key, cancellationToken);
        }

        return settledOld.Count;
    }

    private async Task<int> DeleteFinishedDeliveriesAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.WebhookDeliveries, cancellationToken);
        var finishedOld = await settled.Deliveries.ReadDueAsync(cutoff, Options.ItemsPerPass, async (key, ct) =>
            DueIndex.TrySplit(key, out var endpointId, out var eventId) && await table.GetAsync(endpointId, eventId, ct) is { } row ? WebhookRows.FromEntity(row) : null,
            SettledIndexes.SettledAt, cancellationToken);
        foreach (var (at, key, delivery) in finishedOld)
        {
            // The delivery and its log row, in one transaction.
            await new TableBatch()
                .Delete(new TableEntity(delivery.EndpointId, delivery.EventId), null)
                .Delete(new TableEntity(delivery.EndpointId, WebhookRows.LogKey(delivery.CreatedAt, delivery.EventId)), null)
                .SubmitAsync(table, cancellationToken);
            await settled.Deliveries.RemoveAsync(at, key, cancellationToken);
        }

        return finishedOld.Count;
    }

    /// <summary>Tombstone rows made before <paramref name="cutoff"/>, each deleted on the version checked (a record listed again meanwhile stays).</summary>
    private async Task<int> DeleteExpiredTombstonesAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var records = await tables.GetAsync(TableNames.Records, cancellationToken);
        var old = await tombstones.Entries.ReadDueAsync(cutoff, Options.ItemsPerPass, (key, ct) => TombstoneIndex.LoadAsync(records, key, ct), row => row.State.DeletedAt, cancellationToken);
        foreach (var (at, key, row) in old)
        {
            try
            {
                await records.DeleteEntityAsync(row.Partition, row.RowKey, row.ETag, cancellationToken);
            }
            catch (Azure.RequestFailedException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
            {
                // Written back (listed again) since it was read, or gone: the entry is stale either way.
            }

            await tombstones.Entries.RemoveAsync(at, key, cancellationToken);
        }

        return old.Count;
    }

    private static string RunKeyOf(string runId) => RunIds.TryParse(runId, out _, out var key) ? key : "";
}

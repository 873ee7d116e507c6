using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Storage;
using FunctionsSync.Storage.Retention;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Receipts;

/// <summary>Receipt outcomes (schema in <see cref="ReceiptRows"/>); retries and abandoned claims are found through a <see cref="DueIndex"/>.</summary>
internal sealed class TableReceiptStore(TableProvider tables, SettledIndexes settled, TimeProvider time) : IReceiptStore
{
    private const int MaxRaceRetries = 20;

    private readonly DueIndex due = new(tables, "receipts");

    public async Task<(ReceiptImport Stored, bool Claimed)> ClaimAsync(ReceiptImport pending, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await IndexAsync(pending, cancellationToken);
        return await Race.RunAsync(async (_, ct) =>
        {
            if (await ReadAsync(table, pending, ct) is { } existing)
            {
                return Race.Won((existing, false));
            }

            var counts = await ReadCountsAsync(table, pending.ConnectionId, ct);
            var batch = new TableBatch().Add(ReceiptRows.ToEntity(pending));
            AddCounts(batch, counts.Move(null, pending.Status));
            try
            {
                var versions = await batch.SubmitAsync(table, ct);
                return Race.Won((pending with { Version = versions[0] }, true));
            }
            catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                // The receipt was claimed meanwhile (read above next time), or another receipt moved the counts.
                return Race.Lost<(ReceiptImport, bool)>();
            }
        }, MaxRaceRetries, $"The receipt counts of connection {pending.ConnectionId}", time, cancellationToken);
    }

    public async Task<ReceiptImport?> TrySaveAsync(ReceiptImport receipt, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await IndexAsync(receipt, cancellationToken);
        return await Race.RunAsync<ReceiptImport?>(async (_, ct) =>
        {
            if (await ReadAsync(table, receipt, ct) is not { } stored || stored.Version != receipt.Version)
            {
                return Race.Won<ReceiptImport?>(null);
            }

            var batch = new TableBatch().Replace(ReceiptRows.ToEntity(receipt), receipt.Version);
            if (stored.Status != receipt.Status)
            {
                AddCounts(batch, (await ReadCountsAsync(table, receipt.ConnectionId, ct)).Move(stored.Status, receipt.Status));
            }

            try
            {
                var versions = await batch.SubmitAsync(table, ct);
                return Race.Won<ReceiptImport?>(receipt with { Version = versions[0] });
            }
            catch (RequestFailedException ex) when (ex.IsPreconditionFailed() && ex.FailedAction() is not 0)
            {
                // Another receipt moved the counts; the receipt itself is still ours to write.
                return Race.Lost<ReceiptImport?>();
            }
            catch (RequestFailedException ex) when (ex.IsStaleView())
            {
                return Race.Won<ReceiptImport?>(null);
            }
        }, MaxRaceRetries, $"The receipt counts of connection {receipt.ConnectionId}", time, cancellationToken);
    }

    public async Task<bool> WithdrawAsync(ReceiptImport claimed, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await Race.RunAsync(async (_, ct) =>
        {
            if (await ReadAsync(table, claimed, ct) is not { } stored || stored.Version != claimed.Version)
            {
                return Race.Won(false);
            }

            var batch = new TableBatch().Delete(ReceiptRows.ToEntity(stored), stored.Version);
            AddCounts(batch, (await ReadCountsAsync(table, claimed.ConnectionId, ct)).Remove(stored.Status));
            try
            {
                await batch.SubmitAsync(table, ct);
                return Race.Won(true);
            }
            catch (RequestFailedException ex) when (ex.IsPreconditionFailed() && ex.FailedAction() is not 0)
            {
                // Another receipt moved the counts; the receipt itself is still ours to take back.
                return Race.Lost<bool>();
            }
            catch (RequestFailedException ex) when (ex.IsStaleView() || ex.IsNotFound())
            {
                return Race.Won(false);
            }
        }, MaxRaceRetries, $"The receipt counts of connection {claimed.ConnectionId}", time, cancellationToken);
    }

    /// <summary>Due index entries up to now (a key range), each checked against its receipt (a point read).</summary>
    public async Task<IReadOnlyList<ReceiptImport>> ListDueAsync(DateTimeOffset now, DateTimeOffset staleBefore, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var due = await this.due.ReadDueAsync(now, take, (key, ct) => LoadAsync(table, key, ct), ReceiptRows.DueAt, cancellationToken);
        // A claim in progress is indexed at its claim time: it is due once its next attempt comes or once it is stale.
        return [.. due.Select(d => d.Item).Where(r =>
            r.Status != ReceiptStatus.Success && r.NextAttemptAt <= now || r.Status == ReceiptStatus.Pending && r.UpdatedAt < staleBefore)];
    }

    /// <summary>A receipt by its index key (partition and row key).</summary>
    internal static async Task<ReceiptImport?> LoadAsync(TableClient table, string key, CancellationToken cancellationToken) =>
        DueIndex.TrySplit(key, out var partition, out var row) && await table.GetAsync(partition, row, cancellationToken) is { } entity ? ReceiptRows.FromEntity(entity) : null;

    /// <summary>One point read: the counts row (see <see cref="ReceiptCountRow"/>).</summary>
    public async Task<ReceiptCounts> CountAsync(string connectionId, CancellationToken cancellationToken) =>
        (await ReadCountsAsync(await Table(cancellationToken), connectionId, cancellationToken)).ToCounts();

    private static async Task<ReceiptImport?> ReadAsync(TableClient table, ReceiptImport receipt, CancellationToken cancellationToken) =>
        await table.GetAsync(ReceiptRows.Partition(receipt.ConnectionId), ReceiptRows.RowKey(receipt.Receipt), cancellationToken) is { } entity ? ReceiptRows.FromEntity(entity) : null;

    private static async Task<ReceiptCountRow> ReadCountsAsync(TableClient table, string connectionId, CancellationToken cancellationToken)
    {
        var partition = ReceiptRows.Partition(connectionId);
        return await table.GetAsync(partition, ReceiptCountRow.Key, cancellationToken) is { } entity ? ReceiptCountRow.FromEntity(entity) : ReceiptCountRow.Empty(partition);
    }

    private static void AddCounts(TableBatch batch, ReceiptCountRow counts)
    {
        if (counts.ETag is null)
        {
            batch.Add(counts.ToEntity());
        }
        else
        {
            batch.Replace(counts.ToEntity(), counts.ETag);
        }
    }

    private async Task IndexAsync(ReceiptImport receipt, CancellationToken cancellationToken)
    {
        if (ReceiptRows.DueAt(receipt) is { } at)
        {
            await due.AddAsync(at, ReceiptRows.DueKey(receipt), cancellationToken);
        }

        if (SettledIndexes.SettledAt(receipt) is { } settledAt)
        {
            await settled.Receipts.AddAsync(settledAt, ReceiptRows.DueKey(receipt), cancellationToken);
        }
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Receipts, cancellationToken);
}

using Azure.Data.Tables;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Storage.Retention;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Receipts;

/// <summary>Receipt outcomes (schema in <see cref="ReceiptRows"/>); retries and abandoned claims are found through a <see cref="DueIndex"/>.</summary>
internal sealed class TableReceiptStore(TableProvider tables, SettledIndexes settled) : IReceiptStore
{
    private readonly DueIndex due = new(tables, "receipts");

    public async Task<(ReceiptImport Stored, bool Claimed)> ClaimAsync(ReceiptImport pending, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await IndexAsync(pending, cancellationToken);
        if (await table.TryAddAsync(ReceiptRows.ToEntity(pending), cancellationToken) is { } version)
        {
            return (pending with { Version = version }, true);
        }

        var existing = await table.GetAsync(ReceiptRows.Partition(pending.ConnectionId), ReceiptRows.RowKey(pending.Receipt), cancellationToken)
            ?? throw new InvalidOperationException("A receipt conflicted but cannot be read.");
        return (ReceiptRows.FromEntity(existing), false);
    }

    public async Task<ReceiptImport?> TrySaveAsync(ReceiptImport receipt, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await IndexAsync(receipt, cancellationToken);
        return await table.TryReplaceAsync(ReceiptRows.ToEntity(receipt), receipt.Version, cancellationToken) is { } version ? receipt with { Version = version } : null;
    }

    /// <summary>Due index entries up to now (a key range), each checked against its receipt (a point read).</summary>
    public async Task<IReadOnlyList<ReceiptImport>> ListDueAsync(DateTimeOffset now, DateTimeOffset staleBefore, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var found = new List<ReceiptImport>();
        foreach (var (dueAt, key) in await due.ListDueAsync(now, take, cancellationToken))
        {
            var bar = key.IndexOf('|');
            var receipt = bar > 0 && await table.GetAsync(key[..bar], key[(bar + 1)..], cancellationToken) is { } entity ? ReceiptRows.FromEntity(entity) : null;
            if (receipt is null || ReceiptRows.DueAt(receipt) != dueAt)
            {
                // Settled, or rescheduled under an entry of its own.
                await due.RemoveAsync(dueAt, key, cancellationToken);
                continue;
            }

            var retryDue = receipt.Status != ReceiptStatus.Success && receipt.NextAttemptAt <= now;
            var abandoned = receipt.Status == ReceiptStatus.Pending && receipt.UpdatedAt < staleBefore;
            if (retryDue || abandoned)
            {
                found.Add(receipt);
            }
        }

        return found;
    }

    /// <summary>Counts the connection's receipts by status: reads its partition (the status column only).</summary>
    public async Task<ReceiptCounts> CountAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        long success = 0, failed = 0, limited = 0, pending = 0;
        await foreach (var entity in table.QueryAllAsync(TableQueries.Partition(ReceiptRows.Partition(connectionId)), cancellationToken, select: ["Status"]))
        {
            switch (entity.GetString("Status"))
            {
                case nameof(ReceiptStatus.Success): success++; break;
                case nameof(ReceiptStatus.Failed): failed++; break;
                case nameof(ReceiptStatus.RateLimited): limited++; break;
                default: pending++; break;
            }
        }

        return new ReceiptCounts(success, failed, limited, pending);
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

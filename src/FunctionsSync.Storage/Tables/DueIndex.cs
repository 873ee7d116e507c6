using Azure.Data.Tables;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// A partition <c>due|{purpose}</c> of table <c>indexes</c> listing items by the time they fall due
/// (row key <c>{dueTicks}|{itemKey}</c>), so a periodic pass reads the due ones as one key range instead of filtering
/// a whole table on non-key columns. The store writes an entry before it saves the item as due and removes it after
/// the item stops being due at that time; readers check each entry against its item and drop the stale ones. So a
/// crash can leave an extra entry (harmless), never a due item without one.
/// </summary>
internal sealed class DueIndex(TableProvider tables, string purpose)
{
    /// <summary>
    /// How long a mismatched entry is kept before it counts as stale: an entry is written just before its item's save, so
    /// a reader in between finds the item's old state, and dropping the entry then would leave the item due unindexed.
    /// </summary>
    public static readonly TimeSpan SaveInFlight = TimeSpan.FromMinutes(1);

    private readonly string partition = "due|" + purpose;

    public async Task AddAsync(DateTimeOffset dueAt, string itemKey, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(partition, Key(dueAt, itemKey)), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Entries of several items due at the same time, in one transaction (at most <see cref="TableBatch.MaxActions"/>).</summary>
    public async Task AddManyAsync(DateTimeOffset dueAt, IReadOnlyCollection<string> itemKeys, CancellationToken cancellationToken)
    {
        if (itemKeys.Count == 0)
        {
            return;
        }

        var batch = new TableBatch();
        foreach (var itemKey in itemKeys)
        {
            batch.UpsertReplace(new TableEntity(partition, Key(dueAt, itemKey)));
        }

        await batch.SubmitAsync(await Table(cancellationToken), cancellationToken);
    }

    public async Task RemoveAsync(DateTimeOffset dueAt, string itemKey, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.DeleteIfExistsAsync(partition, Key(dueAt, itemKey), cancellationToken);
    }

    /// <summary>Entries due at or before <paramref name="now"/>, oldest first: one key-range read.</summary>
    public async Task<IReadOnlyList<(DateTimeOffset DueAt, string ItemKey)>> ListDueAsync(DateTimeOffset now, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var upTo = (now.UtcTicks + 1).ToString("D19");
        return await table.ReadAllAsync(TableQueries.PartitionRange(partition, "", upTo), e =>
        {
            var bar = e.RowKey.IndexOf('|');
            return (new DateTimeOffset(long.Parse(e.RowKey[..bar], System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero), e.RowKey[(bar + 1)..]);
        }, cancellationToken, take, ["RowKey"]);
    }

    /// <summary>
    /// The items of the entries due by <paramref name="now"/> (oldest first) whose entry still matches them: an item is
    /// loaded by its key, and its entry is stale when the item is gone or <paramref name="dueAt"/> of the item (null:
    /// no longer due) differs from the entry's time; stale entries older than <see cref="SaveInFlight"/> are removed
    /// here (newer ones may belong to a save still on its way, and are checked again next pass). Each returned item comes
    /// with its entry's time.
    /// </summary>
    public async Task<List<(DateTimeOffset DueAt, string ItemKey, T Item)>> ReadDueAsync<T>(
        DateTimeOffset now, int take, Func<string, CancellationToken, Task<T?>> load, Func<T, DateTimeOffset?> dueAt, CancellationToken cancellationToken)
        where T : class
    {
        var found = new List<(DateTimeOffset, string, T)>();
        foreach (var (at, key) in await ListDueAsync(now, take, cancellationToken))
        {
            if (await load(key, cancellationToken) is { } item && dueAt(item) == at)
            {
                found.Add((at, key, item));
            }
            else if (at < now - SaveInFlight)
            {
                // Settled, gone, or rescheduled under an entry of its own.
                await RemoveAsync(at, key, cancellationToken);
            }
        }

        return found;
    }

    /// <summary>Splits an item key made of two parts joined by <c>|</c> (partition and row of the item).</summary>
    public static bool TrySplit(string itemKey, out string first, out string second)
    {
        var bar = itemKey.IndexOf('|');
        first = bar > 0 ? itemKey[..bar] : "";
        second = bar > 0 ? itemKey[(bar + 1)..] : "";
        return bar > 0;
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Indexes, cancellationToken);

    private static string Key(DateTimeOffset dueAt, string itemKey) => $"{dueAt.UtcTicks:D19}|{itemKey}";
}

using Azure.Data.Tables;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// Every connection's lease row, copied into <see cref="Shards"/> partitions <c>states|{shard}</c> of table
/// <c>indexes</c> (row = connection id), so listing the situation of every connection reads those partitions and
/// nothing else: not the runs, cursors and outbox rows that share the lease rows' partitions. The copy is written after
/// each lease write that changes what it holds, so it can lag (a crash between the two writes, two writes reordered);
/// readers treat it as a hint: a job start re-checks on the lease row, and the planner re-reads the lease row of any
/// connection the copy shows with an active run.
/// </summary>
internal sealed class ConnectionStateIndex(TableProvider tables)
{
    public const int Shards = 16;

    private const string PartitionPrefix = "states|";

    /// <summary>
    /// Copies what a lease write just wrote. Best effort: the lease write it follows has landed and must not be reported
    /// as failed, and a copy that lags is what readers are built for (see the class comment).
    /// </summary>
    public async Task TryWriteAsync(LeaseRow written, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(written, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
        }
    }

    public async Task WriteAsync(LeaseRow written, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Indexes, cancellationToken);
        var entity = written.ToEntity();
        entity.PartitionKey = Partition(written.ConnectionId);
        entity.RowKey = TableKeys.Encode(written.ConnectionId);
        entity["LeaseETag"] = written.ETag ?? "";
        // A merge: the columns this writer did not change keep the values an earlier copy gave them.
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Reads the <see cref="Shards"/> index partitions in parallel: one key-range read each.</summary>
    public async Task<IReadOnlyList<LeaseRow>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Indexes, cancellationToken);
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard =>
            table.ReadAllAsync(TableQueries.Partition(PartitionPrefix + shard.ToString("x2")), FromEntity, cancellationToken)));
        return [.. shards.SelectMany(s => s)];
    }

    public async Task<LeaseRow?> GetAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Indexes, cancellationToken);
        return await table.GetAsync(Partition(connectionId), TableKeys.Encode(connectionId), cancellationToken) is { } entity ? FromEntity(entity) : null;
    }

    public async Task RemoveAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Indexes, cancellationToken);
        await table.DeleteIfExistsAsync(Partition(connectionId), TableKeys.Encode(connectionId), cancellationToken);
    }

    /// <summary>Stable across processes (unlike <see cref="string.GetHashCode()"/>).</summary>
    public static int ShardOf(string connectionId) => (int)(TableKeys.StableHash(connectionId) % Shards);

    private static string Partition(string connectionId) => PartitionPrefix + ShardOf(connectionId).ToString("x2");

    private static LeaseRow FromEntity(TableEntity entity)
    {
        var row = LeaseRow.FromEntity(new TableEntity(entity) { PartitionKey = entity.RowKey });
        return row with { ETag = entity.GetString("LeaseETag") is { Length: > 0 } etag ? etag : null };
    }
}

using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace FunctionsSync.Storage.Tables;

/// <summary>Key-range filters and the reads every store shares. Every filter here names the partition or a row-key range.</summary>
internal static class TableQueries
{
    public static string Partition(string partitionKey) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");

    /// <summary>Rows of one partition whose row key starts with <paramref name="prefix"/>.</summary>
    public static string PartitionPrefix(string partitionKey, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {After(prefix)}");

    /// <summary>Rows of one partition whose row key lies in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static string PartitionRange(string partitionKey, string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {from} and RowKey lt {to}");

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/> (ordinal order).</summary>
    /// <exception cref="ArgumentException">The prefix is empty or ends in <see cref="char.MaxValue"/>: no such string.</exception>
    public static string After(string prefix) =>
        prefix.Length == 0 || prefix[^1] == char.MaxValue
            ? throw new ArgumentException($"A prefix range needs a prefix whose last character has a successor; got '{prefix}'.", nameof(prefix))
            : prefix[..^1] + (char)(prefix[^1] + 1);

    public static async Task<TableEntity?> GetAsync(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select, cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Replaces <paramref name="entity"/> if it is still at <paramref name="version"/> (any version when null).
    /// Returns the new version, or null when the row changed or vanished meanwhile.
    /// </summary>
    public static async Task<string?> TryReplaceAsync(this TableClient table, ITableEntity entity, string? version, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.UpdateEntityAsync(entity, version is null ? ETag.All : new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>Inserts the row; false when it exists already.</summary>
    public static async Task<string?> TryAddAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            return (await table.AddEntityAsync(entity, cancellationToken)).Headers.ETag?.ToString();
        }
        catch (RequestFailedException ex) when (ex.IsConflict())
        {
            return null;
        }
    }

    /// <summary>Deletes the row if it is there (any version).</summary>
    public static async Task DeleteIfExistsAsync(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.IsNotFound())
        {
        }
    }

    /// <summary>Every row <paramref name="filter"/> returns (up to <paramref name="take"/>), mapped.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(
        this TableClient table, string filter, Func<TableEntity, T> map, CancellationToken cancellationToken, int? take = null, IEnumerable<string>? select = null)
    {
        var list = new List<T>();
        await foreach (var entity in table.QueryAllAsync(filter, cancellationToken, take, select))
        {
            list.Add(map(entity));
        }

        return list;
    }

    public static async IAsyncEnumerable<TableEntity> QueryAllAsync(
        this TableClient table, string filter, [EnumeratorCancellation] CancellationToken cancellationToken, int? take = null, IEnumerable<string>? select = null)
    {
        var remaining = take;
        var pageSize = take is { } t && t < 1000 ? t : (int?)null;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, pageSize, select, cancellationToken))
        {
            yield return entity;
            if (remaining is not null && --remaining <= 0)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// One page of up to <paramref name="pageSize"/> rows from <paramref name="continuation"/>. A segment may come back
    /// short (or empty) with a token, so segments are read until the page is full or the range ends.
    /// </summary>
    public static async Task<(List<T> Items, string? Continuation)> ReadPageAsync<T>(
        this TableClient table, string filter, int pageSize, string? continuation, Func<TableEntity, T> map, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var token = continuation;
        do
        {
            var enumerator = table.QueryAsync<TableEntity>(filter, pageSize - items.Count, null, cancellationToken)
                .AsPages(token, pageSize - items.Count).GetAsyncEnumerator(cancellationToken);
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    return (items, null);
                }

                var page = enumerator.Current;
                items.AddRange(page.Values.Take(pageSize - items.Count).Select(map));
                token = page.ContinuationToken;
            }
            finally
            {
                await enumerator.DisposeAsync();
            }
        }
        while (token is not null && items.Count < pageSize);

        return (items, token);
    }
}

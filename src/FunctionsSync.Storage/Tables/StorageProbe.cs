using System.Diagnostics;
using Azure.Data.Tables;
using FunctionsSync.Core.Records;
using FunctionsSync.Storage.Ingestion;
using FunctionsSync.Storage.Jobs;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// Storage's small public surface for tests and the benchmark: what they need to look at or measure, without any SDK
/// type leaving this project.
/// </summary>
public sealed class StorageProbe
{
    private readonly TableProvider tables;
    private readonly QueueProvider queues;
    private readonly RecordLayouts layouts;

    internal StorageProbe(TableProvider tables, QueueProvider queues, RecordLayouts layouts)
    {
        this.tables = tables;
        this.queues = queues;
        this.layouts = layouts;
    }

    /// <summary>The body of the next visible message of a queue (by logical name), without taking it; null when empty.</summary>
    public async Task<string?> PeekMessageAsync(string queueName, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(queueName, cancellationToken);
        return (await queue.PeekMessageAsync(cancellationToken)).Value?.Body.ToString();
    }

    /// <summary>Takes and deletes the next visible message of a queue; null when empty.</summary>
    public async Task<string?> ReceiveMessageAsync(string queueName, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(queueName, cancellationToken);
        if ((await queue.ReceiveMessageAsync(null, cancellationToken)).Value is not { } message)
        {
            return null;
        }

        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        return message.Body.ToString();
    }

    /// <summary>How many record rows each bucket partition of (connection, entity type) holds, by partition key.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountRecordRowsByBucketAsync(string connectionId, EntityType type, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Records, cancellationToken);
        var buckets = await layouts.ForReadAsync(connectionId, cancellationToken);
        var counts = new Dictionary<string, int>();
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var partition = RecordLayouts.Partition(connectionId, type, bucket);
            counts[partition] = (await table.ReadAllAsync(TableQueries.Partition(partition), _ => 0, cancellationToken, select: ["RowKey"])).Count;
        }

        return counts;
    }

    /// <summary>
    /// The benchmark's reference: copies every row of one table into another (by logical names) as batches of 100
    /// rows of one partition, one after another; returns the rows copied and the time the writes took.
    /// </summary>
    public async Task<(int Rows, TimeSpan Elapsed)> CopyTableRawAsync(string source, string target, CancellationToken cancellationToken)
    {
        var from = await tables.GetAsync(source, cancellationToken);
        var to = await tables.GetAsync(target, cancellationToken);
        var rows = await from.ReadAllAsync("", e => e, cancellationToken);
        var watch = Stopwatch.StartNew();
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(TableBatch.MaxActions))
            {
                var batch = new TableBatch();
                foreach (var row in chunk)
                {
                    batch.Add(new TableEntity(row) { ETag = default });
                }

                await batch.SubmitAsync(to, cancellationToken);
            }
        }

        return (rows.Count, watch.Elapsed);
    }

    /// <summary>The benchmark's reference: sends <paramref name="count"/> messages to a queue with the given parallelism; returns the time it took.</summary>
    public async Task<TimeSpan> EnqueueRawAsync(string queueName, int count, int parallelism, string body, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(queueName, cancellationToken);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (_, ct) => await queue.SendMessageAsync(body, ct));
        return watch.Elapsed;
    }
}

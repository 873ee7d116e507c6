using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// Counts the requests this process sends to storage (retries included), and times them by shape (method, table or
/// queue, and kind of request): for tests, the benchmark and diagnostics.
/// </summary>
public sealed class StorageRequestCounter
{
    private static readonly AsyncLocal<Tally?> Current = new();

    private readonly ConcurrentDictionary<string, ShapeTotals> shapes = new();

    private long count;

    public long Count => Interlocked.Read(ref count);

    internal HttpPipelinePolicy PolicyFor(string prefix) => new CountingPolicy(this, prefix);

    /// <summary>
    /// Counts, from here on in this async flow (and what it starts), the storage requests and writes it causes: how a
    /// test tells that a refused API request changed nothing, while background workers' requests are left out.
    /// </summary>
    public static Tally BeginTally() => Current.Value = new Tally();

    /// <summary>Requests so far by shape (<see cref="StorageRequestShape.Of"/>): how many, and their time in all.</summary>
    public IReadOnlyDictionary<string, StorageRequestTotals> Shapes() =>
        shapes.ToDictionary(s => s.Key, s => s.Value.Snapshot());

    public sealed class Tally
    {
        private long requests;
        private long writes;

        public long Requests => Interlocked.Read(ref requests);

        /// <summary>Requests other than reads (GET, HEAD): inserts, updates, deletes, transactions, queue sends.</summary>
        public long Writes => Interlocked.Read(ref writes);

        internal void Add(RequestMethod method)
        {
            Interlocked.Increment(ref requests);
            if (method != RequestMethod.Get && method != RequestMethod.Head)
            {
                Interlocked.Increment(ref writes);
            }
        }
    }

    private sealed class ShapeTotals
    {
        private long requests;
        private long ticks;

        public void Add(long elapsedTicks)
        {
            Interlocked.Increment(ref requests);
            Interlocked.Add(ref ticks, elapsedTicks);
        }

        public StorageRequestTotals Snapshot() => new(Interlocked.Read(ref requests), Interlocked.Read(ref ticks) * 1000.0 / Stopwatch.Frequency);
    }

    private sealed class CountingPolicy(StorageRequestCounter counter, string prefix) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var started = Begin(message);
            ProcessNext(message, pipeline);
            End(message, started);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var started = Begin(message);
            await ProcessNextAsync(message, pipeline);
            End(message, started);
        }

        private long Begin(HttpMessage message)
        {
            Interlocked.Increment(ref counter.count);
            Current.Value?.Add(message.Request.Method);
            return Stopwatch.GetTimestamp();
        }

        private void End(HttpMessage message, long started) =>
            counter.shapes.GetOrAdd(StorageRequestShape.Of(message.Request, prefix), _ => new ShapeTotals()).Add(Stopwatch.GetTimestamp() - started);
    }
}

/// <summary>How many requests of one shape were sent, and their time in all (from sending to the answer's headers).</summary>
public sealed record StorageRequestTotals(long Requests, double TotalMs);

using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsSync.Storage.Tables;

/// <summary>Counts the requests this process sends to storage (retries included): for tests, the benchmark and diagnostics.</summary>
public sealed class StorageRequestCounter
{
    private static readonly AsyncLocal<Tally?> Current = new();

    private long count;

    public long Count => Interlocked.Read(ref count);

    internal HttpPipelinePolicy Policy => new CountingPolicy(this);

    /// <summary>
    /// Counts, from here on in this async flow (and what it starts), the storage requests and writes it causes: how a
    /// test tells that a refused API request changed nothing, while background workers' requests are left out.
    /// </summary>
    public static Tally BeginTally() => Current.Value = new Tally();

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

    private sealed class CountingPolicy(StorageRequestCounter counter) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref counter.count);
            Current.Value?.Add(message.Request.Method);
        }
    }
}

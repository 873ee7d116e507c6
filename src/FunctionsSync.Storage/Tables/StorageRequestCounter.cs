using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsSync.Storage.Tables;

/// <summary>Counts the requests this process sends to storage (retries included): for tests, the benchmark and diagnostics.</summary>
public sealed class StorageRequestCounter
{
    private long count;

    public long Count => Interlocked.Read(ref count);

    internal HttpPipelinePolicy Policy => new CountingPolicy(this);

    private sealed class CountingPolicy(StorageRequestCounter counter) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref counter.count);
    }
}

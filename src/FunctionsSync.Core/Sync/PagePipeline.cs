using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Ingestion;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// Pages of one feed flow three deep: page N+1 is fetched (read ahead) and page N written while page N−1 is applied
/// and checkpointed. A page's checkpoint is still written only after its records are, so a crash anywhere repeats at
/// most the pages after the last checkpoint, which idempotent ingestion absorbs. Disposing abandons what is still in
/// flight (a read-ahead page nobody uses costs nothing but its request).
/// </summary>
internal sealed class PagePipeline : IDisposable
{
    private Task<FetchPage>? readAhead;
    private PendingPage? pending;

    /// <summary>The page fetched ahead, if any (it is the pipeline's no longer).</summary>
    public Task<FetchPage>? TakeReadAhead()
    {
        var taken = readAhead;
        readAhead = null;
        return taken;
    }

    public void ReadAhead(Task<FetchPage> next) => readAhead = next;

    /// <summary>A page whose records are now being written; returns the one before it, to apply and checkpoint.</summary>
    public PendingPage? Push(PendingPage page)
    {
        var previous = pending;
        pending = page;
        return previous;
    }

    /// <summary>The page being written, if any (before the feed stops or ends).</summary>
    public PendingPage? TakePending()
    {
        var taken = pending;
        pending = null;
        return taken;
    }

    public void Dispose()
    {
        readAhead.Abandon();
        pending?.Ingest.Abandon();
    }
}

/// <summary>A fetched page whose records are being written.</summary>
/// <param name="Targeted">A page of a targeted read (<see cref="Runs.SyncRun.Targets"/>), which moves no mark.</param>
internal sealed record PendingPage(FetchPage Page, long Seq, Task<IngestResult> Ingest, bool Targeted = false);

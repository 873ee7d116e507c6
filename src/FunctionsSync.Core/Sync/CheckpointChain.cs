using FunctionsSync.Core.Leasing;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// A run's lease and the checkpoint still landing under it. Page N's checkpoint is written while later pages are
/// ingested; it must land before checkpoint N+1 (the lease's ETag chains them) and before anything else uses the
/// lease. Safe because ingestion is idempotent per (run, page): a crash in between repeats the pages after the last
/// landed checkpoint exactly as they were.
/// </summary>
internal sealed class CheckpointChain(ISyncStateStore state, SyncLease lease)
{
    private Task<SyncLease>? landing;

    /// <summary>The lease as the last landed checkpoint renewed it; <see cref="SettleAsync"/> first if one may be in flight.</summary>
    public SyncLease Lease { get; private set; } = lease;

    /// <summary>Waits for the checkpoint in flight, if any, and takes the lease it renewed.</summary>
    public async Task SettleAsync()
    {
        if (landing is { } pending)
        {
            landing = null;
            Lease = await pending;
        }
    }

    /// <summary>Starts writing a checkpoint under the settled lease. Not cancellable: a checkpoint that was started is worth finishing, even on shutdown.</summary>
    public void Begin(Checkpoint checkpoint)
    {
        if (landing is not null)
        {
            throw new InvalidOperationException("A checkpoint is still landing; settle it first.");
        }

        // A span over the write (where a run's time goes); a store that refuses at once still throws here, at once.
        var span = Telemetry.SyncTracing.Source.StartActivity("sync.checkpoint");
        try
        {
            var write = state.CheckpointAsync(Lease, checkpoint, CancellationToken.None);
            landing = span is null ? write : EndSpanAsync(write, span);
        }
        catch
        {
            span?.Dispose();
            throw;
        }
    }

    private static async Task<SyncLease> EndSpanAsync(Task<SyncLease> write, System.Diagnostics.Activity span)
    {
        using (span)
        {
            return await write;
        }
    }

    /// <summary>A checkpoint written in step (not chained) renewed the lease.</summary>
    public void Renewed(SyncLease renewed) => Lease = renewed;

    /// <summary>After the run stopped: the lease of the checkpoint in flight, or the last one if that checkpoint failed.</summary>
    public async Task<SyncLease> SettleQuietlyAsync()
    {
        try
        {
            await SettleAsync();
        }
        catch (Exception)
        {
            // Lost lease or storage fault: the final write with the old lease fails too and is skipped.
        }

        return Lease;
    }

    /// <summary>Storage went away: nobody waits for the checkpoint in flight, but its failure must not go unobserved.</summary>
    public void Abandon()
    {
        landing.Abandon();
        landing = null;
    }
}

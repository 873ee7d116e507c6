using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// A run's writes that carry outbox events: the checkpoint, then the signal that hands its events to the dispatcher
/// (a lost signal only delays them: the sweeper finds their rows), and the phase a run reports on the way.
/// </summary>
public sealed class RunCheckpoints(ISyncStateStore state, IWebhookSignal signal, ILogger<ConnectionSyncer> logger)
{
    /// <summary>Writes the checkpoint, then signals the outbox events it carried.</summary>
    public async Task<SyncLease> WriteAsync(SyncLease lease, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var renewed = await state.CheckpointAsync(lease, checkpoint, cancellationToken);
        await SignalAsync(checkpoint.Events ?? []);
        return renewed;
    }

    /// <summary>A final write: false when the lease was taken over (their state wins) or storage refused it (the run stays as last checkpointed; the next runner resumes it).</summary>
    public async Task<bool> TryWriteAsync(SyncLease lease, Checkpoint checkpoint)
    {
        try
        {
            await WriteAsync(lease, checkpoint, CancellationToken.None);
            return true;
        }
        catch (LeaseLostException)
        {
            return false;
        }
        catch (Exception ex)
        {
            logger.CheckpointFailed(ex, checkpoint.Run.RunId);
            return false;
        }
    }

    /// <summary>Hands written outbox events to the dispatcher.</summary>
    public async Task SignalAsync(IReadOnlyList<OutboxEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await signal.SignalAsync(events, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.SignalFailed(ex, events[0].EventId);
        }
    }

    /// <summary>Phase reports are informational: written without waiting, and a failed one is only logged.</summary>
    public void ReportPhase(string runId, string phase) =>
        _ = state.SetPhaseAsync(runId, phase, CancellationToken.None).ContinueWith(
            t => logger.PhaseFailed(t.Exception!.GetBaseException(), runId), TaskContinuationOptions.OnlyOnFaulted);
}

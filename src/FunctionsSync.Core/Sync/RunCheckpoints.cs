using System.Collections.Concurrent;
using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// A run's writes that carry outbox events: the checkpoint, then the signal that hands its events to the dispatcher
/// (a lost signal only delays them: the sweeper finds their rows), and the phase a run reports on the way.
/// </summary>
public sealed class RunCheckpoints(ISyncStateStore state, IWebhookSignal signal, TimeProvider time, ILogger<ConnectionSyncer> logger)
{
    /// <summary>
    /// How long a phase must last to be written. A checkpoint replaces the run row, and with it the phase, so a phase
    /// that a checkpoint follows sooner (an empty feed, a quick first page) would be a write nobody could see.
    /// </summary>
    public static readonly TimeSpan PhaseGrace = TimeSpan.FromSeconds(1);

    /// <summary>Each run's phase waiting out its grace.</summary>
    private readonly ConcurrentDictionary<string, CancellationTokenSource> pendingPhases = new(StringComparer.Ordinal);

    /// <summary>Writes the checkpoint, then signals the outbox events it carried.</summary>
    public async Task<SyncLease> WriteAsync(SyncLease lease, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        Checkpointing(checkpoint.Run.RunId);
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

    /// <summary>
    /// Phase reports are informational: written without waiting, once the phase has lasted <see cref="PhaseGrace"/>
    /// with no checkpoint begun meanwhile (<see cref="Checkpointing"/>); a failed one is only logged.
    /// </summary>
    public void ReportPhase(string runId, string phase)
    {
        var grace = new CancellationTokenSource();
        pendingPhases.AddOrUpdate(runId, grace, (_, earlier) =>
        {
            earlier.Cancel();
            return grace;
        });
        _ = WriteAfterGraceAsync(runId, phase, grace);
    }

    /// <summary>A checkpoint of the run begins: the phase reported before it is not written (the checkpoint clears it).</summary>
    public void Checkpointing(string runId)
    {
        if (pendingPhases.TryRemove(runId, out var grace))
        {
            grace.Cancel();
        }
    }

    private async Task WriteAfterGraceAsync(string runId, string phase, CancellationTokenSource grace)
    {
        try
        {
            await Task.Delay(PhaseGrace, time, grace.Token);
        }
        catch (OperationCanceledException)
        {
            grace.Dispose();
            return;
        }

        // Still this phase's turn: a later report or a checkpoint cancels it from here on only by removing it.
        if (!pendingPhases.TryRemove(KeyValuePair.Create(runId, grace)))
        {
            return;
        }

        grace.Dispose();
        try
        {
            await state.SetPhaseAsync(runId, phase, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.PhaseFailed(ex, runId);
        }
    }
}

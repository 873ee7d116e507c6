using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Runs;

/// <summary>
/// Cancelling a run, for an operator's cancel and a deleted connection alike: the cancel is recorded for the runner
/// holding the run (it stops after the page in flight); a run no runner holds ends <c>cancelled</c> at once.
/// </summary>
public sealed class RunCancellation(ISyncStateStore state, TimeProvider time)
{
    /// <returns>The run as cancelled when no runner held it; null when its runner will stop it.</returns>
    public async Task<SyncRun?> CancelAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        await state.SetControlAsync(runId, RunControl.Cancel, cancellationToken);
        var now = time.GetUtcNow();
        var cancelled = await state.ChangeUnheldRunAsync(
            runId, r => r with { Status = RunStatus.Cancelled, Phase = null, Error = reason, FinishedAt = now, UpdatedAt = now }, now, cancellationToken);
        if (cancelled is not null)
        {
            await state.SetControlAsync(runId, null, cancellationToken);
        }

        return cancelled;
    }
}

using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Core.Runs;

/// <summary>
/// Cancelling a run, for an operator's cancel and a deleted connection alike: the cancel is recorded for the runner
/// holding the run (it stops after the page in flight); a run no runner holds ends <c>cancelled</c> at once.
/// </summary>
public sealed partial class RunCancellation(ISyncStateStore state, TimeProvider time, ILogger<RunCancellation> logger)
{
    public const string ByOperator = "Cancelled by an operator.";

    public const string ConnectionDeleted = "The connection was deleted.";

    /// <param name="requestedBy">Who asked (the API caller's actor, or the component), for the log.</param>
    /// <returns>The run as cancelled when no runner held it; null when its runner will stop it.</returns>
    public async Task<SyncRun?> CancelAsync(string runId, string reason, string requestedBy, CancellationToken cancellationToken)
    {
        LogCancelRequested(runId, requestedBy, reason);
        await state.SetControlAsync(runId, RunControl.Cancel, cancellationToken);
        var now = time.GetUtcNow();
        var cancelled = await state.ChangeUnheldRunAsync(
            runId, r => (r with { Status = RunStatus.Cancelled, Phase = null, Error = reason, FinishedAt = now, UpdatedAt = now }).WithEntitiesSettled(), now, cancellationToken);
        if (cancelled is not null)
        {
            await state.SetControlAsync(runId, null, cancellationToken);
        }

        return cancelled;
    }

    [LoggerMessage(1018, LogLevel.Information, "Run {RunId}: cancel requested by {RequestedBy} ({Reason})")]
    private partial void LogCancelRequested(string runId, string requestedBy, string reason);
}

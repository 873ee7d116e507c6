using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Runs;

/// <summary>The <c>/api/runs</c> routes: status, and pause / resume / cancel honoured between pages.</summary>
public sealed class RunsApi(
    ISyncStateStore state,
    IRunDispatcher dispatcher,
    RunCancellation cancellation,
    Events.LiveEvents events,
    IOptions<SyncOptions> syncOptions,
    TimeProvider time)
{
    public async Task<ApiResult<RunView>> GetAsync(ApiCaller caller, string runId, CancellationToken cancellationToken)
    {
        var run = await FindAsync(caller, runId, cancellationToken);
        if (run is null)
        {
            return NotFound(runId);
        }

        var now = time.GetUtcNow();
        var view = RunView.From(run, now) with { Requested = Pending(run, await state.GetControlAsync(run.RunId, cancellationToken)) };
        if (run.Status == RunStatus.Running)
        {
            // One more point read (the connection's lease row), for running runs only.
            var liveness = RunLiveness.Of(run, await state.GetLeaseAsync(run.ConnectionId, Sync.SyncLanes.Of(run.Mode), cancellationToken), syncOptions.Value.LeaseDuration, now);
            view = view with { LastHeartbeatAt = liveness?.LastHeartbeatAt, Stale = liveness?.Stale };
        }

        return ApiResult.Ok(view);
    }

    /// <summary>Pause: the runner stops after the page in flight and frees the connection's lease; the run stays active.</summary>
    public async Task<ApiResult<RunView>> PauseAsync(ApiCaller caller, string runId, CancellationToken cancellationToken)
    {
        var run = await FindAsync(caller, runId, cancellationToken);
        if (run is null)
        {
            return NotFound(runId);
        }

        if (run.Status is not (RunStatus.Queued or RunStatus.Running or RunStatus.Interrupted))
        {
            return Problems.Conflict($"Run {runId} is {Wire(run.Status)}; only a queued or running run can be paused.");
        }

        await state.SetControlAsync(run.RunId, RunControl.Pause, cancellationToken);
        return await AcceptedAsync(run.RunId, RunControl.Pause, cancellationToken);
    }

    /// <summary>Resume: a paused run is queued again and continues from its last saved page.</summary>
    public async Task<ApiResult<RunView>> ResumeAsync(ApiCaller caller, string runId, CancellationToken cancellationToken)
    {
        var run = await FindAsync(caller, runId, cancellationToken);
        if (run is null)
        {
            return NotFound(runId);
        }

        var control = await state.GetControlAsync(run.RunId, cancellationToken);
        if (run.Status != RunStatus.Paused)
        {
            if (control == RunControl.Pause && !run.Status.IsFinal())
            {
                // Paused before it took effect: withdrawing the request is the resume.
                await state.SetControlAsync(run.RunId, null, cancellationToken);
                return await AcceptedAsync(run.RunId, null, cancellationToken);
            }

            return Problems.Conflict($"Run {runId} is {Wire(run.Status)}; only a paused run can be resumed.");
        }

        await state.SetControlAsync(run.RunId, null, cancellationToken);
        var queued = await state.ChangeUnheldRunAsync(run.RunId, r => r.Status == RunStatus.Paused ? r with { Status = RunStatus.Queued, UpdatedAt = time.GetUtcNow() } : null, time.GetUtcNow(), cancellationToken);
        if (queued is null)
        {
            return Problems.Conflict($"Run {runId} changed while resuming it; look at its status and try again.");
        }

        await dispatcher.ResumeAsync(RunLauncher.JobFor(queued, null), cancellationToken);
        events.Run(Events.LiveEventTypes.RunQueued, queued);
        return ApiResult.Accepted(RunView.From(queued, time.GetUtcNow()));
    }

    /// <summary>Cancel: the run ends as cancelled, keeping what it stored; a run no runner holds ends at once.</summary>
    public async Task<ApiResult<RunView>> CancelAsync(ApiCaller caller, string runId, CancellationToken cancellationToken)
    {
        var run = await FindAsync(caller, runId, cancellationToken);
        if (run is null)
        {
            return NotFound(runId);
        }

        if (run.Status.IsFinal())
        {
            return Problems.Conflict($"Run {runId} already ended ({Wire(run.Status)}).");
        }

        if (await cancellation.CancelAsync(run.RunId, RunCancellation.ByOperator, caller.Actor, cancellationToken) is { } cancelled)
        {
            events.Run(Events.LiveEventTypes.RunFinished, cancelled);
            return ApiResult.Ok(RunView.From(cancelled, time.GetUtcNow()));
        }

        // A runner holds it: it stops after the page in flight.
        return await AcceptedAsync(run.RunId, RunControl.Cancel, cancellationToken);
    }

    private async Task<ApiResult<RunView>> AcceptedAsync(string runId, RunControl? requested, CancellationToken cancellationToken)
    {
        var run = await state.GetRunAsync(runId, cancellationToken);
        return ApiResult.Accepted(RunView.From(run!, time.GetUtcNow()) with { Requested = Pending(run!, requested) });
    }

    /// <summary>
    /// The operator request still waiting for the runner: none once the run shows it (a paused run keeps its pause row,
    /// which is what holds it paused, but the pause is no longer "requested"), and none on a run that has ended.
    /// </summary>
    private static RunControl? Pending(SyncRun run, RunControl? control) => control switch
    {
        _ when run.Status.IsFinal() => null,
        RunControl.Pause when run.Status == RunStatus.Paused => null,
        _ => control,
    };

    private async Task<SyncRun?> FindAsync(ApiCaller caller, string runId, CancellationToken cancellationToken)
    {
        var run = await state.GetRunAsync(runId, cancellationToken);
        return run is not null && caller.CanSee(run.OrganizationId) ? run : null;
    }

    private static string Wire(RunStatus status) => status.ToString().ToLowerInvariant();

    // A scheduled run is recorded only when its job starts, so an id from a cycle record may not exist yet.
    private static ApiResult NotFound(string runId) => Problems.NotFound($"Run {runId} does not exist (a scheduled run exists once its job starts).");
}

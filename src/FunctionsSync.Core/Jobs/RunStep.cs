using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Jobs;

/// <summary>
/// One step of a queued run, the same on both hosts: find the run (recording a scheduled cycle's planned run as it
/// starts), end it cancelled when its connection was deleted, sync pages, and say what the host should do next. The
/// self-hosted runtime maps the answer to its job message (<see cref="JobProcessor"/>), the Functions app to its
/// orchestration (<c>SyncActivities.SyncPageAsync</c>).
/// </summary>
public sealed class RunStep(
    IConnectionStore connections, ISyncStateStore state, ConnectionSyncer syncer, RunLauncher launcher, RunCancellation cancellation, Microsoft.Extensions.Options.IOptions<SyncOptions> options, TimeProvider time)
{
    /// <summary>The least a host waits before trying a connection another runner holds again.</summary>
    public static readonly TimeSpan MinBusyWait = TimeSpan.FromSeconds(1);

    /// <summary>The run to sync, or the step's answer when there is nothing to sync (<see cref="RunStepKind.Done"/>).</summary>
    /// <param name="planned">A scheduled cycle's job, whose run is recorded only now; null for a recorded run.</param>
    /// <param name="actor">Who ends a run whose connection was deleted, for its activity entry.</param>
    /// <param name="checkConnection">
    /// Look at the connection now (the self-hosted worker, before it takes an organization slot for it); otherwise the
    /// sync's own read of it finds a deleted connection, and the run ends the same way.
    /// </param>
    public async Task<(SyncRun? Run, RunStepResult? Done)> PrepareAsync(
        string runId, string connectionId, SyncJob? planned, string actor, bool checkConnection, CancellationToken cancellationToken)
    {
        var run = await state.GetRunAsync(runId, cancellationToken);
        Connection? connection = null;
        if (run is null && planned is not null)
        {
            connection = await connections.GetAsync(planned.ConnectionId, cancellationToken);
            var start = await launcher.StartPlannedAsync(planned, connection, cancellationToken);
            if (start.Run is null)
            {
                return (null, RunStepResult.Ended(null, $"Scheduled job dropped at start: {start.DroppedBecause}.", dropped: true));
            }

            run = start.Run;
        }

        if (run is null)
        {
            return (null, RunStepResult.Ended(null, $"Run {runId} does not exist."));
        }

        if (run.Status.IsFinal())
        {
            // Already done (a duplicate message or activity, or another replica finished it).
            return (null, RunStepResult.Ended(run, null));
        }

        if (!checkConnection)
        {
            return (run, null);
        }

        connection ??= await connections.GetAsync(connectionId, cancellationToken);
        return connection is null || connection.DeletedAt is not null
            ? (null, await CancelledAsync(run, actor, "Its connection was deleted.", cancellationToken))
            : (run, null);
    }

    /// <summary>Syncs up to <paramref name="maxPages"/> pages (or for <paramref name="maxDuration"/>) of a prepared run.</summary>
    public async Task<RunStepResult> SyncAsync(SyncRun run, string owner, string actor, int maxPages, TimeSpan? maxDuration, CancellationToken cancellationToken)
    {
        var outcome = await syncer.RunPagesAsync(
            new SyncRequest(run.ConnectionId, run.Mode, run.EntityTypes, run.Trigger, run.RunId, owner, run.Window), maxPages, cancellationToken, maxDuration);
        switch (outcome.Kind)
        {
            case SyncOutcomeKind.Finished:
                return RunStepResult.Ended(outcome.Run, null);
            case SyncOutcomeKind.InProgress:
            case SyncOutcomeKind.Interrupted:
                return new RunStepResult(RunStepKind.More, outcome.Run, null, null);
            case SyncOutcomeKind.StorageInterrupted:
                return new RunStepResult(RunStepKind.More, outcome.Run, null, null) { StorageInterrupted = true };
            case SyncOutcomeKind.Yielded:
                // A backfill stepped aside for a run on the connection's main lane: try again once that may have ended.
                return new RunStepResult(RunStepKind.Busy, outcome.Run, options.Value.BackfillYieldDelay, outcome.Message);
            case SyncOutcomeKind.Paused:
                return new RunStepResult(RunStepKind.Paused, outcome.Run, null, null);
            case SyncOutcomeKind.ConnectionNotFound:
                return await CancelledAsync(run, actor, outcome.Message, CancellationToken.None);
            case SyncOutcomeKind.LeaseHeld:
                // A live runner (it will finish the run) or a dead one (its lease expires): try once the lease may be free.
                var lease = await state.GetLeaseAsync(run.ConnectionId, SyncLanes.Of(run.Mode), CancellationToken.None);
                var wait = lease is null ? MinBusyWait : lease.ExpiresAt - time.GetUtcNow() + TimeSpan.FromSeconds(1);
                return new RunStepResult(RunStepKind.Busy, run, wait < MinBusyWait ? MinBusyWait : wait, outcome.Message);
            default:
                // LeaseLost: another runner took the run over and carries it on.
                return new RunStepResult(RunStepKind.TakenOver, outcome.Run ?? run, null, outcome.Message);
        }
    }

    private async Task<RunStepResult> CancelledAsync(SyncRun run, string actor, string? message, CancellationToken cancellationToken)
    {
        var cancelled = await cancellation.CancelAsync(run.RunId, RunCancellation.ConnectionDeleted, actor, cancellationToken);
        return RunStepResult.Ended(cancelled ?? (run with { Status = RunStatus.Cancelled }).WithEntitiesSettled(), message);
    }
}

public enum RunStepKind
{
    /// <summary>The run has ended (or there is none to run).</summary>
    Done,

    /// <summary>The run goes on: step again (its slice ended, this host is shutting down, or storage went away).</summary>
    More,

    /// <summary>Another runner holds the connection: step again after <see cref="RunStepResult.RetryAfter"/>.</summary>
    Busy,

    /// <summary>Paused by an operator: resuming starts it again.</summary>
    Paused,

    /// <summary>Another runner took the run over mid-step; it is theirs now.</summary>
    TakenOver,
}

/// <param name="Run">The run as the step left it; null when there is none.</param>
public sealed record RunStepResult(RunStepKind Kind, SyncRun? Run, TimeSpan? RetryAfter, string? Message)
{
    /// <summary>More, because storage went away mid-step (not the run's fault); resumed once it answers.</summary>
    public bool StorageInterrupted { get; init; }

    /// <summary>Done without a run: a scheduled cycle's job the cycle would no longer plan.</summary>
    public bool Dropped { get; init; }

    public static RunStepResult Ended(SyncRun? run, string? message, bool dropped = false) => new(RunStepKind.Done, run, null, message) { Dropped = dropped };
}

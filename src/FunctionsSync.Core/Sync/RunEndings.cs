using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Telemetry;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// How an attempt stops. A run ends (succeeded or partial, failed, cancelled) through <see cref="EndAsync"/> alone: the
/// final checkpoint with its events and the lease freed, the operator request cleared, the live event, the meters and
/// the trace. An interrupt or a pause is not an end: the run stays the connection's and resumes.
/// </summary>
public sealed class RunEndings(
    IConnectionStore connections,
    ISyncStateStore state,
    RunCheckpoints checkpoints,
    ConflictRecorder conflicts,
    Deletions.IRecordReconciliation reconciliation,
    DeletionSignalReader deletionSignals,
    Ingestion.IRecordQuery records,
    Notifications.NotificationFollowUp followUp,
    SyncMetrics metrics,
    Events.LiveEvents events,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<ConnectionSyncer> logger)
{
    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The window a feed read, as a completeness error names it.</summary>
    private static string Window(EntityCursor? cursor) =>
        cursor?.RunSince is { } since ? $"changed since {since.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}" : "(all records)";

    /// <summary>
    /// Every feed is done: the run ends succeeded, with <c>sync.completed</c>; partial with failed records, or with a
    /// feed that ended short of the marketplace's own count (named in its error; that feed's cursor did not move).
    /// </summary>
    internal async Task<SyncOutcome> FinishAsync(RunAttempt attempt)
    {
        attempt.FeedsDone();
        checkpoints.ReportPhase(attempt.Run.RunId, RunPhase.Finalizing);
        // A full run finds deletions by what it did not list; an incremental one reads those the marketplace lists.
        IReadOnlyList<EntityCursor> reconciled = [.. await ReconcileAsync(attempt), .. await deletionSignals.ReadAsync(attempt)];
        var counters = attempt.Run.Counters;
        var shortfalls = attempt.Run.Entities.Where(e => e.Counters.Missing > 0)
            .Select(e => $"{attempt.Connection.Marketplace} {Records.EntityTypes.ToWire(e.EntityType)} {Window(attempt.StoredCursor(e.EntityType))}: the marketplace counted {e.Counters.Expected}, the feed delivered {e.Counters.Expected - e.Counters.Missing}")
            .ToList();
        foreach (var shortfall in shortfalls)
        {
            logger.FeedShort(attempt.Run.RunId, shortfall);
        }

        var run = attempt.Run with
        {
            Status = counters.Failed > 0 || shortfalls.Count > 0 ? RunStatus.Partial : RunStatus.Succeeded,
            Error = shortfalls.Count > 0 ? $"completeness: {string.Join("; ", shortfalls)}; the next run reads these again." : attempt.Run.Error,
            Phase = null,
            FinishedAt = Now,
            UpdatedAt = Now,
            Calls = attempt.Calls.Total,
        };
        var freshness = Freshness(attempt.Connection, run);
        OutboxEvent[] outbox = freshness.Event is { } turned
            ? [WebhookPayloads.ForRun(WebhookEventTypes.SyncCompleted, run, Now), turned]
            : [WebhookPayloads.ForRun(WebhookEventTypes.SyncCompleted, run, Now)];
        await EndAsync(attempt, run, outbox, mustLand: true, reconciled);
        await UpdateConnectionAsync(attempt.Connection, ConnectionHealth.Active, null, failed: false, freshness.StaleSince);
        await FollowUpAsync(attempt.Connection);
        logger.RunFinished(run.RunId, SyncLogs.StoreName(attempt.Connection), run.Status, counters.Created, counters.Updated, counters.Unchanged, counters.Failed);
        return new(SyncOutcomeKind.Finished, run);
    }

    /// <summary>
    /// The connection against its freshness objective, as this run's stored changes say: stale when an entity type's
    /// 95th percentile lag exceeds it, fresh when none does; a run that stored no change (or a connection without an
    /// objective) leaves it as it was. A turn either way is an event (<c>connection.stale</c>, <c>connection.fresh</c>).
    /// </summary>
    private (OutboxEvent? Event, DateTimeOffset? StaleSince) Freshness(Connection connection, SyncRun run)
    {
        var was = connection.StaleSince;
        var views = run.Entities.Select(e => FreshnessView.From(Records.EntityTypes.ToWire(e.EntityType), e.Lag)).OfType<FreshnessView>().ToList();
        if (views.Count == 0 || CommonSettings.FreshnessObjectiveMinutes.Of(connection) is not { } objective)
        {
            return (null, was);
        }

        var stale = views.Any(v => v.P95Seconds > objective * 60);
        if (stale == was.HasValue)
        {
            return (null, was);
        }

        logger.FreshnessTurned(run.RunId, connection.Id, stale ? "stale" : "fresh", objective);
        var type = stale ? WebhookEventTypes.ConnectionStale : WebhookEventTypes.ConnectionFresh;
        return (WebhookPayloads.ForFreshness(type, run, objective, views, Now), stale ? Now : null);
    }

    /// <summary>
    /// A full run tombstones, per feed whose full read lists everything (<see cref="IMarketplaceAdapter.FullReadListsAll"/>),
    /// the stored records that feed did not list, with a <c>record.deleted</c> event each. Only a feed read whole and
    /// clean: one cut short of the marketplace's count, or with a record it could not read (whose id may be the one
    /// missing), tombstones nothing.
    /// </summary>
    /// <returns>The cursors of feeds that tombstoned records, their stored count lowered by as many (saved with the run's end).</returns>
    private async Task<IReadOnlyList<EntityCursor>> ReconcileAsync(RunAttempt attempt)
    {
        var cursors = new List<EntityCursor>();
        if (attempt.Run.Mode != SyncMode.Full)
        {
            return cursors;
        }

        var reconciled = attempt.Run.Entities.Where(e => attempt.Adapter.FullReadListsAll.Contains(e.EntityType)).ToList();
        var stored = reconciled.Count == 0 ? new Dictionary<Records.EntityType, long>() : await records.CountAsync(attempt.Connection.Id, CancellationToken.None);
        foreach (var entity in reconciled)
        {
            var type = Records.EntityTypes.ToWire(entity.EntityType);
            var why = entity.State != EntityRunState.Done ? "its feed was not read"
                : entity.Counters.Missing > 0 ? "its feed ended short"
                : entity.Counters.Failed > 0 ? "records of its feed could not be read"
                // Every record stored was created by this run (a first full sync): none can be missing from it.
                : stored.GetValueOrDefault(entity.EntityType) <= entity.Counters.Created ? "every record stored was written by this run"
                : null;
            if (why is not null)
            {
                logger.NotReconciled(attempt.Run.RunId, type, why);
                await reconciliation.ForgetAsync(attempt.Run.RunId, entity.EntityType, CancellationToken.None);
                continue;
            }

            var tombstones = await reconciliation.TombstoneUnseenAsync(
                new(attempt.Run.RunId, attempt.Connection.Id, attempt.Connection.OrganizationId, attempt.Connection.Marketplace, entity.EntityType, Now), CancellationToken.None);
            if (tombstones.Count > 0)
            {
                logger.Tombstoned(attempt.Run.RunId, tombstones.Count, type);
                if (attempt.Tombstoned(entity.EntityType, tombstones.Count) is { } cursor)
                {
                    cursors.Add(cursor);
                }

                await checkpoints.SignalAsync(tombstones.Events);
            }
        }

        return cursors;
    }

    /// <summary>
    /// The run ends failed as <paramref name="failure"/> says, with <c>sync.failed</c> (and
    /// <c>connection.reauthorization_required</c> when the seller's authorization is gone); the connection's health and
    /// failure streak follow, and a connection-level conflict opens where a person must act.
    /// </summary>
    internal async Task<SyncOutcome> FailAsync(RunAttempt attempt, RunFailure failure)
    {
        var run = (attempt.Run with
        {
            Status = RunStatus.Failed,
            Error = failure.Error,
            ErrorKind = failure.Kind ?? attempt.Run.ErrorKind,
            FinishedAt = Now,
            UpdatedAt = Now,
            Calls = attempt.Calls.Total,
        }).WithEntitiesSettled();
        var reauthorize = run.ErrorKind == MarketplaceErrorKind.ReauthorizationRequired;
        OutboxEvent[] outbox = reauthorize
            ? [WebhookPayloads.ForRun(WebhookEventTypes.SyncFailed, run, Now), WebhookPayloads.ForRun(WebhookEventTypes.ReauthorizationRequired, run, Now)]
            : [WebhookPayloads.ForRun(WebhookEventTypes.SyncFailed, run, Now)];
        if (await EndAsync(attempt, run, outbox, mustLand: false))
        {
            if (reauthorize)
            {
                events.Run(Events.LiveEventTypes.ReauthorizationRequired, run);
            }

            await OpenConflictAsync(run, failure.Conflict);
        }

        var connection = attempt.Connection;
        await UpdateConnectionAsync(connection, failure.NeedsAttention ? ConnectionHealth.NeedsAttention : connection.Health, run.Error, failed: true);
        if (failure.Unexpected is { } exception)
        {
            logger.RunCrashed(exception, run.RunId);
        }
        else
        {
            logger.RunFailed(run.RunId, SyncLogs.StoreName(attempt.Connection), run.Error);
        }

        return new(SyncOutcomeKind.Finished, run);
    }

    /// <summary>The caller stopped (shutdown): the run is left interrupted at its last checkpoint, and the lease freed.</summary>
    internal async Task<SyncOutcome> InterruptAsync(RunAttempt attempt)
    {
        var lease = await attempt.Chain.SettleQuietlyAsync();
        var run = attempt.Record(attempt.Run with { Status = RunStatus.Interrupted, UpdatedAt = Now, Calls = attempt.Calls.Total });
        await checkpoints.TryWriteAsync(lease, new(run, attempt.TakeUnsaved(), Now, Release: true, run.RunId));
        logger.RunInterrupted(run.RunId, run.PageSeq);
        return new(SyncOutcomeKind.Interrupted, run, "Stopped between pages; the next run resumes from the last saved page.");
    }

    /// <summary>
    /// A backfill has the lower priority: while a runner holds its connection's main lane, it stops here, between
    /// pages, interrupted at its last checkpoint with its own lane free, to be stepped again later.
    /// </summary>
    /// <returns>How it stopped; null when the main lane is idle and the backfill goes on.</returns>
    internal async Task<SyncOutcome?> YieldToMainLaneAsync(RunAttempt attempt)
    {
        var main = await state.GetLeaseAsync(attempt.Connection.Id, SyncLane.Main, CancellationToken.None);
        if (main is not { ActiveRunId: { } active, Owner.Length: > 0 } || main.ExpiresAt <= Now)
        {
            return null;
        }

        var lease = await attempt.Chain.SettleQuietlyAsync();
        var run = attempt.Record(attempt.Run with { Status = RunStatus.Interrupted, Phase = null, UpdatedAt = Now, Calls = attempt.Calls.Total });
        await checkpoints.WriteAsync(lease, new(run, attempt.TakeUnsaved(), Now, Release: true, run.RunId), CancellationToken.None);
        logger.BackfillYielded(run.RunId, active);
        return new(SyncOutcomeKind.Yielded, run, $"Stepped aside for run {active} of the connection; the backfill goes on once it ends.");
    }

    /// <summary>An operator asked to pause or cancel (or the connection was deleted): stop here, between pages, and free the lease.</summary>
    internal async Task<SyncOutcome?> ControlledStopAsync(RunAttempt attempt)
    {
        var run = attempt.Run;
        switch (attempt.Looked(await state.GetControlAsync(run.RunId, CancellationToken.None)))
        {
            case RunControl.Cancel:
                // The request does not say who asked; a deleted connection is why, when it is gone.
                var reason = await connections.GetAsync(attempt.Connection.Id, CancellationToken.None) is { DeletedAt: null } ? RunCancellation.ByOperator : RunCancellation.ConnectionDeleted;
                var cancelled = (run with { Status = RunStatus.Cancelled, Phase = null, FinishedAt = Now, UpdatedAt = Now, Error = reason, Calls = attempt.Calls.Total }).WithEntitiesSettled();
                await EndAsync(attempt, cancelled, [], mustLand: true);
                logger.RunControlled(run.RunId, "cancelled");
                return new(SyncOutcomeKind.Finished, cancelled, reason);
            case RunControl.Pause:
                // The run stays the connection's active run, so nothing else starts while it is paused.
                var paused = attempt.Record(run with { Status = RunStatus.Paused, Phase = null, UpdatedAt = Now });
                checkpoints.Checkpointing(run.RunId);
                await state.CheckpointAsync(attempt.Chain.Lease, new(paused, attempt.TakeUnsaved(), Now, Release: true, ActiveRunId: run.RunId), CancellationToken.None);
                logger.RunControlled(run.RunId, "paused");
                events.Run(Events.LiveEventTypes.RunPaused, paused);
                return new(SyncOutcomeKind.Paused, paused, "Paused by an operator.");
            default:
                return null;
        }
    }

    /// <summary>
    /// The one way a run ends: the final checkpoint frees the connection and carries the run's events; then an operator
    /// request it saw is cleared and the end announced; the meters and the trace record it whether or not that write landed.
    /// </summary>
    /// <param name="mustLand">The write's failure escapes (the run is then failed or resumed from its last checkpoint);
    /// otherwise (a run already failing) a failed write is logged and the run stays as last checkpointed.</param>
    /// <returns>Whether the final checkpoint landed.</returns>
    /// <param name="cursors">Cursors the end changes (a reconciliation's stored counts).</param>
    private async Task<bool> EndAsync(RunAttempt attempt, SyncRun ended, IReadOnlyList<OutboxEvent> outbox, bool mustLand, IReadOnlyList<EntityCursor>? cursors = null)
    {
        ended = ended.WithEntitiesSettled();
        attempt.Record(ended);
        var lease = mustLand ? attempt.Chain.Lease : await attempt.Chain.SettleQuietlyAsync();
        var checkpoint = new Checkpoint(ended, attempt.TakeUnsaved(cursors ?? []), Now, Release: true, ActiveRunId: null, outbox);
        var landed = true;
        if (mustLand)
        {
            await checkpoints.WriteAsync(lease, checkpoint, CancellationToken.None);
        }
        else
        {
            landed = await checkpoints.TryWriteAsync(lease, checkpoint);
        }

        if (ended.Mode == SyncMode.Full && ended.Status is RunStatus.Failed or RunStatus.Cancelled)
        {
            await ForgetListedAsync(attempt, ended);
        }

        if (landed)
        {
            // Only a request this attempt saw has a row to clear; one that landed after its last look stays on the
            // ended run, where it means nothing (the API shows none on a final run) and retention removes it with it.
            if (attempt.ControlSeen)
            {
                await ClearControlAsync(ended.RunId);
            }

            events.Run(Events.LiveEventTypes.RunFinished, ended);
        }

        Ended(ended, attempt.Activity);
        return landed;
    }

    /// <summary>Feeds notified while the run was in flight are read by the next run; a failure to queue it is left to the schedule.</summary>
    private async Task FollowUpAsync(Connection connection)
    {
        try
        {
            await followUp.AfterRunAsync(connection, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.FollowUpFailed(ex, connection.Id);
        }
    }

    /// <summary>A full run that did not finish reconciles nothing: the ids it noted are dropped (a failure to is harmless: they are never read).</summary>
    private async Task ForgetListedAsync(RunAttempt attempt, SyncRun ended)
    {
        foreach (var type in ended.EntityTypes.Where(attempt.Adapter.FullReadListsAll.Contains))
        {
            try
            {
                await reconciliation.ForgetAsync(ended.RunId, type, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.ListedNotDropped(ex, ended.RunId);
                return;
            }
        }
    }

    /// <summary>A cancel or pause request left on an ended run means nothing; a failure to clear it is harmless.</summary>
    private async Task ClearControlAsync(string runId)
    {
        try
        {
            await state.SetControlAsync(runId, null, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.ControlNotCleared(ex, runId);
        }
    }

    /// <summary>A run ended: its duration and pages go to the meter, its status to the trace, and a throttled run says so.</summary>
    private void Ended(SyncRun run, System.Diagnostics.Activity? activity)
    {
        metrics.RecordRunEnded(run, RunProgress.ActiveMs(RunProgress.Settled(run), Now));
        activity?.SetTag("functionssync.status", run.Status.ToString());
        if (run.Status == RunStatus.Failed)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, run.Error);
        }

        if (run.Calls is { Throttled: > 0 } c)
        {
            logger.RunThrottled(run.RunId, c.Throttled, c.Requests, c.RateLimitWaitMs);
        }
    }

    private async Task OpenConflictAsync(SyncRun run, ConflictType? conflictType)
    {
        if (conflictType is not { } type)
        {
            return;
        }

        try
        {
            var opened = await conflicts.RecordAsync(run, 0, [new DetectedConflict(type, null, null, run.Error ?? "The run failed.")], CancellationToken.None);
            await checkpoints.SignalAsync(opened);
        }
        catch (Exception ex)
        {
            logger.ConflictFailed(ex, run.RunId);
        }
    }

    /// <summary>
    /// Records the run's outcome on the connection as stored now (credentials or settings may have changed while the
    /// run went on): health, last error and the failure streak (<see cref="FailureStreak"/>).
    /// </summary>
    /// <param name="staleSince">The freshness state a finished run leaves (<see cref="Freshness"/>); a failed run leaves it as it is.</param>
    private async Task UpdateConnectionAsync(Connection connection, ConnectionHealth health, string? error, bool failed, DateTimeOffset? staleSince = null)
    {
        var o = options.Value;
        try
        {
            await connections.UpdateAsync(connection.Id,
                current =>
                {
                    var changed = FailureStreak.Apply(current, health, error, failed, o.FailureWarningThreshold, o.FailureDisableThreshold, Now);
                    return failed || (changed ?? current).StaleSince == staleSince ? changed : (changed ?? current) with { StaleSince = staleSince, UpdatedAt = Now };
                },
                CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.ConnectionUpdateFailed(ex, connection.Id);
        }
    }
}

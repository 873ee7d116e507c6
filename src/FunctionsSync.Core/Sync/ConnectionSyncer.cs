using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Telemetry;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// Runs one sync of one connection: page by page, fetch → ingest → checkpoint (cursor, counters, lease renewal in
/// one atomic write). A page is ingested before its checkpoint, so a run killed anywhere repeats at most the two pages
/// after its last checkpoint (the pipeline's depth), which idempotent ingestion absorbs.
/// </summary>
public sealed partial class ConnectionSyncer(
    IConnectionStore connections,
    ISyncStateStore state,
    IMarketplaceAdapterRegistry adapters,
    IIngestionDispatcher ingestion,
    ConflictRecorder conflicts,
    IWebhookSignal signal,
    SyncMetrics metrics,
    Events.LiveEvents events,
    IOptions<SyncOptions> options,
    IOptions<Events.LiveEventOptions> liveOptions,
    TimeProvider time,
    ILogger<ConnectionSyncer> logger)
{
    private SyncOptions Options => options.Value;

    /// <summary>Runs (or resumes) a run to its end.</summary>
    public Task<SyncOutcome> RunAsync(SyncRequest request, CancellationToken cancellationToken) =>
        RunPagesAsync(request, int.MaxValue, cancellationToken);

    /// <summary>
    /// Runs at most <paramref name="maxPages"/> pages (writes), and none started after <paramref name="maxDuration"/>, then
    /// returns <see cref="SyncOutcomeKind.InProgress"/> keeping the lease for <see cref="SyncRequest.Owner"/>: how a
    /// Durable orchestration steps a run one slice per activity.
    /// </summary>
    /// <exception cref="StorageUnavailableException">Storage could not be reached; the run is left as last checkpointed.</exception>
    public async Task<SyncOutcome> RunPagesAsync(SyncRequest request, int maxPages, CancellationToken cancellationToken, TimeSpan? maxDuration = null)
    {
        var sliceEnds = maxDuration is { } limit ? Now + limit : DateTimeOffset.MaxValue;
        var connection = await connections.GetAsync(request.ConnectionId, cancellationToken);
        if (connection is null || connection.DeletedAt is not null)
        {
            return new(SyncOutcomeKind.ConnectionNotFound, null, $"Connection {request.ConnectionId} does not exist.");
        }

        // Lease → resume → each feed → finish.
        var owner = request.Owner ?? $"runner/{Guid.NewGuid():N}";
        var acquired = await state.TryAcquireLeaseAsync(connection.Id, owner, Options.LeaseDuration, cancellationToken);
        if (acquired.Lease is not { } lease)
        {
            LogLeaseHeld(connection.Id, acquired.HeldBy, acquired.HeldUntil);
            return new(SyncOutcomeKind.LeaseHeld, null, $"Connection {connection.Id} is being synced by {acquired.HeldBy} (lease until {acquired.HeldUntil:O}).");
        }

        var adapter = adapters.Get(connection.Marketplace);
        if (await StartOrResumeAsync(connection, adapter, lease, request, cancellationToken) is not { } run)
        {
            // The run asked for ended (cancelled) between its job's dequeue and this lease: it is never started again.
            var ended = (await state.GetRunAsync(request.RunId!, cancellationToken))!;
            await state.CheckpointAsync(lease, new(ended, [], Now, Release: true, ActiveRunId: lease.ActiveRunId == ended.RunId ? null : lease.ActiveRunId), CancellationToken.None);
            LogRunAlreadyEnded(ended.RunId, ended.Status);
            return new(SyncOutcomeKind.Finished, ended, $"Run {ended.RunId} had already ended ({ended.Status}); it was not started.");
        }

        using var activity = SyncTracing.Source.StartActivity("sync.run");
        activity?.SetTag("functionssync.run_id", run.RunId);
        activity?.SetTag("functionssync.connection_id", connection.Id);
        activity?.SetTag("functionssync.marketplace", connection.Marketplace);
        var attempt = new RunAttempt(connection, adapter, run, new CheckpointChain(state, lease), MarketplaceCallScope.Begin(run.RunId, run.Calls), activity, Now);
        // An operator's request that landed before this runner took the lease: a cancelled run ends here, unstarted.
        switch (await state.GetControlAsync(run.RunId, cancellationToken))
        {
            case RunControl.Cancel:
                return (await ControlledStopAsync(attempt))!;
            case RunControl.Pause when run.Status == RunStatus.Paused:
                await state.CheckpointAsync(lease, new(run, [], Now, Release: true, ActiveRunId: run.RunId), CancellationToken.None);
                return new(SyncOutcomeKind.Paused, run, "The run is paused.");
        }

        attempt.Cursors = new Dictionary<EntityType, EntityCursor>(await state.GetCursorsAsync(connection.Id, cancellationToken));
        try
        {
            await BeginAttemptAsync(attempt, acquired.Renewed, cancellationToken);
            foreach (var type in attempt.Run.EntityTypes)
            {
                if (await RunFeedAsync(attempt, type, maxPages, sliceEnds, cancellationToken) is { } stopped)
                {
                    return stopped;
                }
            }

            return await FinishAsync(attempt);
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(attempt.Run.RunId, connection.Id);
            return new(SyncOutcomeKind.LeaseLost, attempt.Run, "The lease was taken over; the new holder resumes the run.");
        }
        catch (StorageUnavailableException ex)
        {
            // Not the run's fault, so it does not fail: once storage answers again it is marked interrupted at its last
            // checkpoint (what landed; pages in flight are repeated, which idempotent ingestion absorbs). Should storage
            // stay away past StorageOutageWait, the exception goes to the caller with the run as last checkpointed,
            // under this owner's lease until it expires; whoever runs it next resumes it.
            attempt.Chain.Abandon();
            LogStorageUnavailable(ex, attempt.Run.RunId);
            if (await InterruptWhenStorageAnswersAsync(connection.Id, owner, attempt.Run, cancellationToken) is { } interrupted)
            {
                return interrupted;
            }

            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await InterruptAsync(attempt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await FailRunAsync(attempt, RunFailure.From(ex, attempt.Where));
        }
    }

    /// <summary>A caller stepping its own run continues it; anyone else starts (or resumes) an attempt, with <c>sync.started</c> on the first.</summary>
    private async Task BeginAttemptAsync(RunAttempt attempt, bool renewedOwnLease, CancellationToken cancellationToken)
    {
        if (renewedOwnLease && attempt.Run.Status == RunStatus.Running)
        {
            return;
        }

        var firstStart = attempt.Run.Attempts == 0;
        var run = attempt.Run = RunProgress.StartedRunning(attempt.Run, Now) with { Attempts = attempt.Run.Attempts + 1 };
        IReadOnlyList<OutboxEvent> started = firstStart ? [WebhookPayloads.ForRun(WebhookEventTypes.SyncStarted, run, Now)] : [];
        attempt.Chain.Renewed(await CheckpointAndSignalAsync(attempt.Chain.Lease, new(run, [], LeaseUntil, Release: false, run.RunId, started), cancellationToken));
        events.Run(Events.LiveEventTypes.RunStarted, run);
        LogRunStarted(run.RunId, attempt.Connection.Id, run.Mode, run.Attempts);
    }

    /// <summary>
    /// Reads one entity type's feed from its cursor to its end, page by page (<see cref="PagePipeline"/>). Returns how
    /// the run stopped early (the slice's pages used up, a pause or cancel), or null once the feed is done.
    /// </summary>
    private async Task<SyncOutcome?> RunFeedAsync(RunAttempt attempt, EntityType type, int maxPages, DateTimeOffset sliceEnds, CancellationToken cancellationToken)
    {
        if (attempt.Run.Entity(type) is not { State: EntityRunState.Pending or EntityRunState.Running } progress)
        {
            return null;
        }

        var cursor = attempt.Cursors.GetValueOrDefault(type) ?? new EntityCursor { EntityType = type };
        if (cursor.RunId != attempt.Run.RunId)
        {
            cursor = cursor.StartFeed(attempt.Run.RunId, attempt.Run.Mode, Options.OverlapWindow);
        }

        attempt.Cursor = cursor;
        attempt.Run = attempt.Run.WithEntity(progress with { State = EntityRunState.Running });
        if (cursor.PageToken is null)
        {
            ReportPhase(attempt.Run.RunId, RunPhase.Fetching);
        }

        using var pipeline = new PagePipeline();
        var (connection, since) = (attempt.Connection, cursor.RunSince);
        var token = cursor.PageToken;
        var more = !cursor.Completed;
        var nextSeq = attempt.Run.PageSeq + 1;
        while (more)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Stopping between pages keeps the page whose records are already written.
                await CompleteAsync(attempt, pipeline.TakePending(), cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (attempt.Pages++ >= maxPages || (attempt.Pages > 1 && Now >= sliceEnds))
            {
                await CompleteAsync(attempt, pipeline.TakePending(), cancellationToken);
                await attempt.Chain.SettleAsync();
                return new(SyncOutcomeKind.InProgress, attempt.Run, $"Stopped after {maxPages} page(s); the run continues on the next call.");
            }

            // Operator requests are looked up at most every ControlCheckInterval: a pause lands within a page or so.
            if (Now - attempt.LastControlCheck >= Options.ControlCheckInterval)
            {
                attempt.LastControlCheck = Now;
                await CompleteAsync(attempt, pipeline.TakePending(), cancellationToken);
                await attempt.Chain.SettleAsync();
                if (await ControlledStopAsync(attempt) is { } stopped)
                {
                    return stopped;
                }
            }

            var page = await (pipeline.TakeReadAhead() ?? FetchWriteAsync(attempt.Adapter, connection, new FetchRequest(type, since, token, PageSize(connection)), cancellationToken));

            // Read ahead: the next page is fetched while this one is written. Fetching has no side effects, so a
            // read-ahead page that is never used (pause, crash) costs nothing but the request.
            if (page.NextPageToken is { } next && attempt.Pages < maxPages)
            {
                pipeline.ReadAhead(FetchWriteAsync(attempt.Adapter, connection, new FetchRequest(type, since, next, PageSize(connection)), cancellationToken));
            }

            var seq = nextSeq++;
            var ingest = ingestion.IngestAsync(new IngestContext(connection.Id, attempt.Run.RunId, seq, type, attempt.Run.Mode), page.Records, cancellationToken);
            await CompleteAsync(attempt, pipeline.Push(new PendingPage(page, seq, ingest)), cancellationToken);
            token = page.NextPageToken;
            more = token is not null;
        }

        await CompleteAsync(attempt, pipeline.TakePending(), cancellationToken);
        await attempt.Chain.SettleAsync();
        return null;
    }

    /// <summary>
    /// A page's records are written: its conflicts are stored, it is applied to the run and the cursor, and its
    /// checkpoint is started (to land while the next pages flow).
    /// </summary>
    private async Task CompleteAsync(RunAttempt attempt, PendingPage? page, CancellationToken cancellationToken)
    {
        if (page is null)
        {
            return;
        }

        var cursor = attempt.Cursor!;
        var type = cursor.EntityType;
        var result = await page.Ingest;
        var detected = Detected(type, page.Page, result);
        // Conflicts are stored (with their events) before the checkpoint that counts them; a replayed page finds them.
        await SignalAsync(await conflicts.RecordAsync(attempt.Run, page.Seq, detected, cancellationToken));
        cursor = attempt.Cursor = cursor.Observe(page.Page, result.Created, Now);
        var run = attempt.Run = ApplyPage(attempt.Run, cursor, page.Page, result, page.Seq, detected) with { Calls = attempt.Calls.Total };
        metrics.RecordPage(attempt.Connection.Marketplace, type, result, page.Page.Rejected.Count);
        if (Now - attempt.LastProgressLog >= ProgressLogInterval)
        {
            attempt.LastProgressLog = Now;
            var (done, expected) = RunProgress.Work(run);
            LogRunProgress(run.RunId, RunProgress.PercentOf(run), done, expected, run.Calls?.Throttled ?? 0);
        }

        await attempt.Chain.SettleAsync();
        var checkpoint = new Checkpoint(run, [cursor], LeaseUntil, Release: false, run.RunId);
        attempt.Chain.Begin(checkpoint);
        attempt.Cursors[type] = cursor;
        if (Now - attempt.LastProgressEvent >= liveOptions.Value.ProgressInterval)
        {
            attempt.LastProgressEvent = Now;
            events.Run(Events.LiveEventTypes.RunProgress, checkpoint.Run);
        }
    }

    /// <summary>Every feed is done: the run ends succeeded (partial with failed records), with <c>sync.completed</c>.</summary>
    private async Task<SyncOutcome> FinishAsync(RunAttempt attempt)
    {
        attempt.Cursor = null;
        ReportPhase(attempt.Run.RunId, RunPhase.Finalizing);
        var counters = attempt.Run.Counters;
        var run = attempt.Run = attempt.Run with
        {
            Status = counters.Failed > 0 ? RunStatus.Partial : RunStatus.Succeeded,
            Phase = null,
            FinishedAt = Now,
            UpdatedAt = Now,
            Calls = attempt.Calls.Total,
        };
        await CheckpointAndSignalAsync(attempt.Chain.Lease, new(run, [], Now, Release: true, ActiveRunId: null, [WebhookPayloads.ForRun(WebhookEventTypes.SyncCompleted, run, Now)]), CancellationToken.None);
        await state.SetControlAsync(run.RunId, null, CancellationToken.None);
        events.Run(Events.LiveEventTypes.RunFinished, run);
        await UpdateConnectionAsync(attempt.Connection, ConnectionHealth.Active, null, failed: false);
        LogRunFinished(run.RunId, run.Status, counters.Created, counters.Updated, counters.Unchanged, counters.Failed);
        Ended(run, attempt.Activity);
        return new(SyncOutcomeKind.Finished, run);
    }

    /// <summary>The caller stopped (shutdown): the run is left interrupted at its last checkpoint, and the lease freed.</summary>
    private async Task<SyncOutcome> InterruptAsync(RunAttempt attempt)
    {
        var lease = await attempt.Chain.SettleQuietlyAsync();
        var run = attempt.Run = attempt.Run with { Status = RunStatus.Interrupted, UpdatedAt = Now, Calls = attempt.Calls.Total };
        await TryCheckpointAsync(lease, new(run, [], Now, Release: true, run.RunId));
        LogRunInterrupted(run.RunId, run.PageSeq);
        return new(SyncOutcomeKind.Interrupted, run, "Stopped between pages; the next run resumes from the last saved page.");
    }

    /// <summary>The run ends failed as <paramref name="failure"/> says, and the connection's health and failure streak follow.</summary>
    private async Task<SyncOutcome> FailRunAsync(RunAttempt attempt, RunFailure failure)
    {
        var lease = await attempt.Chain.SettleQuietlyAsync();
        var run = attempt.Run = attempt.Run with
        {
            Status = RunStatus.Failed,
            Error = failure.Error,
            ErrorKind = failure.Kind ?? attempt.Run.ErrorKind,
            FinishedAt = Now,
            UpdatedAt = Now,
            Calls = attempt.Calls.Total,
        };
        await FailAsync(lease, run, failure.Conflict);
        var connection = attempt.Connection;
        await UpdateConnectionAsync(connection, failure.NeedsAttention ? ConnectionHealth.NeedsAttention : connection.Health, run.Error, failed: true);
        if (failure.Unexpected is { } exception)
        {
            LogRunCrashed(exception, run.RunId);
        }
        else
        {
            LogRunFailed(run.RunId, run.Error);
        }

        Ended(run, attempt.Activity);
        return new(SyncOutcomeKind.Finished, run);
    }

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>How often a running run logs a progress line (its start, throttling and end are logged as they happen).</summary>
    private static readonly TimeSpan ProgressLogInterval = TimeSpan.FromSeconds(10);

    /// <summary>A run ended: its duration and pages go to the meter, its status to the trace, and a throttled run says so.</summary>
    private void Ended(SyncRun run, System.Diagnostics.Activity? activity)
    {
        var activeMs = RunProgress.ActiveMs(RunProgress.Settled(run), Now);
        metrics.RecordRunEnded(run, activeMs);
        activity?.SetTag("functionssync.status", run.Status.ToString());
        if (run.Status == RunStatus.Failed)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, run.Error);
        }

        if (run.Calls is { Throttled: > 0 } c)
        {
            LogRunThrottled(run.RunId, c.Throttled, c.Requests, c.RateLimitWaitMs);
        }
    }

    /// <summary>
    /// Probes storage (the lease, then the run: two point reads) with back-off until it answers, then ends the attempt
    /// as <see cref="RunStatus.Interrupted"/> and frees the lease. Null when storage stays away past
    /// <see cref="SyncOptions.StorageOutageWait"/> or the caller stops.
    /// </summary>
    private async Task<SyncOutcome?> InterruptWhenStorageAnswersAsync(string connectionId, string owner, SyncRun run, CancellationToken cancellationToken)
    {
        var giveUpAt = Now + Options.StorageOutageWait;
        var delay = TimeSpan.FromSeconds(1);
        while (Now < giveUpAt && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, cancellationToken);
                // The same owner renews its own lease whatever the version it last saw (a checkpoint may have landed
                // without its answer reaching us).
                var again = await state.TryAcquireLeaseAsync(connectionId, owner, Options.LeaseDuration, cancellationToken);
                if (again.Lease is not { } lease)
                {
                    LogLeaseLost(run.RunId, connectionId);
                    return new(SyncOutcomeKind.LeaseLost, null, "Storage answered again, but another runner holds the connection now; it resumes the run.");
                }

                // The run as last checkpointed; the attempt's own copy when not even its start landed.
                var stored = await state.GetRunAsync(run.RunId, cancellationToken) ?? run;
                if (stored.Status.IsFinal())
                {
                    await state.CheckpointAsync(lease, new(stored, [], Now, Release: true, ActiveRunId: null), CancellationToken.None);
                    return new(SyncOutcomeKind.Finished, stored);
                }

                var interrupted = stored with { Status = RunStatus.Interrupted, Phase = null, UpdatedAt = Now };
                await state.CheckpointAsync(lease, new(interrupted, [], Now, Release: true, run.RunId), CancellationToken.None);
                LogRunInterrupted(run.RunId, interrupted.PageSeq);
                return new(SyncOutcomeKind.StorageInterrupted, interrupted, "Storage was unreachable; the run resumes from its last checkpoint.");
            }
            catch (StorageUnavailableException)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxStorageProbeDelay.Ticks));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (LeaseLostException)
            {
                return new(SyncOutcomeKind.LeaseLost, null, "Another runner took the connection over while storage was away.");
            }
        }

        return null;
    }

    private static readonly TimeSpan MaxStorageProbeDelay = TimeSpan.FromSeconds(10);

    /// <summary>Phase reports are informational: written without waiting, and a failed one is only logged.</summary>
    private void ReportPhase(string runId, string phase) =>
        _ = state.SetPhaseAsync(runId, phase, CancellationToken.None).ContinueWith(
            t => LogPhaseFailed(t.Exception!.GetBaseException(), runId), TaskContinuationOptions.OnlyOnFaulted);

    private DateTimeOffset LeaseUntil => Now + Options.LeaseDuration;

    /// <summary>
    /// The records of one write: marketplace pages fetched one after another from <paramref name="request"/> until
    /// <see cref="SyncOptions.MinRecordsPerWrite"/> records or the feed's end, as one page (the last page's token next).
    /// </summary>
    private async Task<FetchPage> FetchWriteAsync(IMarketplaceAdapter adapter, Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        // One span per page fetched; its marketplace calls are its children.
        using var span = SyncTracing.Source.StartActivity("sync.page");
        span?.SetTag("functionssync.entity_type", request.EntityType.ToWire());
        var page = await adapter.FetchPageAsync(connection, request, cancellationToken);
        // An empty page with a next token is the marketplace saying "not yet" (a report being made): it goes back to the
        // run's loop, which checkpoints, honours pauses and ends slices meanwhile.
        if (page.NextPageToken is null || page.Records.Count + page.Rejected.Count >= Options.MinRecordsPerWrite || page.Records.Count + page.Rejected.Count == 0)
        {
            return page;
        }

        var records = new List<CanonicalRecord>(page.Records);
        var rejected = new List<RejectedRecord>(page.Rejected);
        var last = page;
        while (last.NextPageToken is { } next && records.Count + rejected.Count < Options.MinRecordsPerWrite)
        {
            last = await adapter.FetchPageAsync(connection, request with { PageToken = next }, cancellationToken);
            records.AddRange(last.Records);
            rejected.AddRange(last.Rejected);
            if (last.Records.Count + last.Rejected.Count == 0)
            {
                break;
            }
        }

        return new FetchPage(records, rejected, last.NextPageToken, page.TotalCount, last.RateLimit ?? page.RateLimit);
    }

    private int PageSize(Connection connection) =>
        int.TryParse(connection.Setting("batchSize") ?? connection.Setting("pageSize"), out var size) ? Math.Clamp(size, 1, Options.MaxPageSize) : Options.PageSize;

    /// <returns>The run to go on with; null when the run the request names has already ended and nothing else is unfinished.</returns>
    private async Task<SyncRun?> StartOrResumeAsync(Connection connection, IMarketplaceAdapter adapter, SyncLease lease, SyncRequest request, CancellationToken cancellationToken)
    {
        // An interrupted or crashed run is finished before anything new starts: its cursors hold pages in flight.
        foreach (var candidate in new[] { lease.ActiveRunId, request.RunId })
        {
            if (candidate is not null && await state.GetRunAsync(candidate, cancellationToken) is { } existing && !existing.Status.IsFinal())
            {
                // A run queued by the API or the scheduler does not know what the marketplace supports; settle it here.
                return existing with
                {
                    Entities = [.. existing.Entities.Select(e => e.State == EntityRunState.Pending && !adapter.SupportedEntityTypes.Contains(e.EntityType)
                        ? e with { State = EntityRunState.Unsupported }
                        : e)],
                };
            }
        }

        if (request.RunId is { } named && await state.GetRunAsync(named, cancellationToken) is { } ended && ended.Status.IsFinal())
        {
            return null;
        }

        var types = EntityTypes.InRunOrder(request.EntityTypes is { Count: > 0 } asked ? asked : EntityTypes.All);
        return new SyncRun
        {
            RunId = request.RunId ?? RunIds.New(connection.Id, Now),
            ConnectionId = connection.Id,
            OrganizationId = connection.OrganizationId,
            Marketplace = connection.Marketplace,
            Mode = request.Mode,
            Trigger = request.Trigger,
            EntityTypes = types,
            Entities = [.. types.Select(t => new EntityProgress(
                t, adapter.SupportedEntityTypes.Contains(t) ? EntityRunState.Pending : EntityRunState.Unsupported, RunCounters.Zero))],
            CreatedAt = Now,
            UpdatedAt = Now,
        };
    }

    /// <summary>The run after a page: its entity's counters and state (from the cursor as the page left it), record errors, conflict counts.</summary>
    private SyncRun ApplyPage(SyncRun run, EntityCursor cursor, FetchPage page, IngestResult result, long pageSeq, IReadOnlyList<DetectedConflict> detected)
    {
        var progress = run.Entity(cursor.EntityType)!;
        var counters = progress.Counters with
        {
            Created = progress.Counters.Created + result.Created,
            Updated = progress.Counters.Updated + result.Updated,
            Unchanged = progress.Counters.Unchanged + result.Unchanged,
            Failed = progress.Counters.Failed + result.Failed + page.Rejected.Count,
            Skipped = progress.Counters.Skipped + result.Skipped,
            ReportedTotal = cursor.ReportedTotal,
        };
        var errors = run.RecordErrors
            .Concat(page.Rejected.Select(r => r.Reason))
            .Concat(result.Errors)
            .Take(Options.MaxRecordErrors)
            .ToList();
        var conflictCounts = new Dictionary<string, long>(run.Conflicts);
        foreach (var conflict in detected)
        {
            conflictCounts[conflict.Type.ToWire()] = conflictCounts.GetValueOrDefault(conflict.Type.ToWire()) + 1;
        }

        return run.WithEntity(progress with { Counters = counters, State = cursor.Completed ? EntityRunState.Done : EntityRunState.Running }) with
        {
            Conflicts = conflictCounts,
            // Pages flow: the next one is fetched while this one is written.
            Phase = RunPhase.Ingesting,
            PageSeq = pageSeq,
            RecordErrors = errors,
            UpdatedAt = Now,
        };
    }

    private async Task<bool> TryCheckpointAsync(SyncLease lease, Checkpoint checkpoint)
    {
        try
        {
            await CheckpointAndSignalAsync(lease, checkpoint, CancellationToken.None);
            return true;
        }
        catch (LeaseLostException)
        {
            // Someone else owns the connection now; their state wins.
            return false;
        }
        catch (Exception ex)
        {
            // The run stays as last checkpointed; the lease expires and the next runner resumes it.
            LogCheckpointFailed(ex, checkpoint.Run.RunId);
            return false;
        }
    }

    /// <summary>
    /// Ends the run as failed with its <c>sync.failed</c> event (and <c>connection.reauthorization_required</c> when the
    /// seller's authorization is gone), and opens a connection-level conflict where a person must act.
    /// </summary>
    private async Task FailAsync(SyncLease lease, SyncRun run, ConflictType? conflictType)
    {
        var reauthorize = run.ErrorKind == MarketplaceErrorKind.ReauthorizationRequired;
        OutboxEvent[] outbox = reauthorize
            ? [WebhookPayloads.ForRun(WebhookEventTypes.SyncFailed, run, Now), WebhookPayloads.ForRun(WebhookEventTypes.ReauthorizationRequired, run, Now)]
            : [WebhookPayloads.ForRun(WebhookEventTypes.SyncFailed, run, Now)];
        if (!await TryCheckpointAsync(lease, new(run, [], Now, Release: true, ActiveRunId: null, outbox)))
        {
            return;
        }

        events.Run(Events.LiveEventTypes.RunFinished, run);
        if (reauthorize)
        {
            events.Run(Events.LiveEventTypes.ReauthorizationRequired, run);
        }

        if (conflictType is { } type)
        {
            try
            {
                var opened = await conflicts.RecordAsync(run, 0, [new DetectedConflict(type, null, null, run.Error ?? "The run failed.")], CancellationToken.None);
                await SignalAsync(opened);
            }
            catch (Exception ex)
            {
                LogConflictFailed(ex, run.RunId);
            }
        }
    }

    /// <summary>Record-level conflicts of a page: rejected records (validation) and what ingestion could not apply.</summary>
    private static List<DetectedConflict> Detected(EntityType type, FetchPage page, IngestResult result)
    {
        var detected = new List<DetectedConflict>(page.Rejected.Count + result.Detected.Count);
        detected.AddRange(page.Rejected.Select(r => new DetectedConflict(ConflictType.ValidationError, type, r.ExternalId, r.Reason)));
        detected.AddRange(result.Detected);
        return detected;
    }

    /// <summary>Writes the checkpoint, then signals the outbox events it carried.</summary>
    private async Task<SyncLease> CheckpointAndSignalAsync(SyncLease lease, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var renewed = await state.CheckpointAsync(lease, checkpoint, cancellationToken);
        await SignalAsync(checkpoint.Events ?? []);
        return renewed;
    }

    /// <summary>Hands written outbox events to the dispatcher. A lost signal only delays them: the sweeper finds their rows.</summary>
    private async Task SignalAsync(IReadOnlyList<OutboxEvent> events)
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
            LogSignalFailed(ex, events[0].EventId);
        }
    }

    /// <summary>
    /// Records the run's outcome on the connection: health, last error, and the failure streak (<see cref="FailureStreak"/>),
    /// which flags the connection at <see cref="SyncOptions.FailureWarningThreshold"/> and disables it at <see cref="SyncOptions.FailureDisableThreshold"/>.
    /// </summary>
    private async Task UpdateConnectionAsync(Connection connection, ConnectionHealth health, string? error, bool failed)
    {
        try
        {
            // Applied to the row as stored now (credentials or settings may have changed while the run went on), and
            // again should a PATCH land between the read and the write: both changes are kept.
            await connections.UpdateAsync(connection.Id,
                current => FailureStreak.Apply(current, health, error, failed, Options.FailureWarningThreshold, Options.FailureDisableThreshold, Now), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogConnectionUpdateFailed(ex, connection.Id);
        }
    }

    /// <summary>An operator asked to pause or cancel: stop here, between pages, and free the connection's lease.</summary>
    private async Task<SyncOutcome?> ControlledStopAsync(RunAttempt attempt)
    {
        var (run, lease, connection) = (attempt.Run, attempt.Chain.Lease, attempt.Connection);
        switch (await state.GetControlAsync(run.RunId, CancellationToken.None))
        {
            case RunControl.Cancel:
                // The request does not say who asked; a deleted connection is why, when it is gone.
                var reason = await connections.GetAsync(connection.Id, CancellationToken.None) is { DeletedAt: null } ? RunCancellation.ByOperator : RunCancellation.ConnectionDeleted;
                var cancelled = run with { Status = RunStatus.Cancelled, Phase = null, FinishedAt = Now, UpdatedAt = Now, Error = reason };
                await state.CheckpointAsync(lease, new(cancelled, [], Now, Release: true, ActiveRunId: null), CancellationToken.None);
                await state.SetControlAsync(run.RunId, null, CancellationToken.None);
                LogRunControlled(run.RunId, "cancelled");
                events.Run(Events.LiveEventTypes.RunFinished, cancelled);
                Ended(cancelled, attempt.Activity);
                return new(SyncOutcomeKind.Finished, cancelled, reason);
            case RunControl.Pause:
                // The run stays the connection's active run, so nothing else starts while it is paused.
                var paused = run with { Status = RunStatus.Paused, Phase = null, UpdatedAt = Now };
                await state.CheckpointAsync(lease, new(paused, [], Now, Release: true, ActiveRunId: run.RunId), CancellationToken.None);
                LogRunControlled(run.RunId, "paused");
                events.Run(Events.LiveEventTypes.RunPaused, paused);
                return new(SyncOutcomeKind.Paused, paused, "Paused by an operator.");
            default:
                return null;
        }
    }

    [LoggerMessage(1012, LogLevel.Warning, "Outbox event {EventId} was written but not signalled; the sweeper delivers it")]
    private partial void LogSignalFailed(Exception exception, string eventId);

    [LoggerMessage(1013, LogLevel.Warning, "Run {RunId}: could not record its connection-level conflict")]
    private partial void LogConflictFailed(Exception exception, string runId);

    [LoggerMessage(1011, LogLevel.Debug, "Run {RunId}: could not record its phase")]
    private partial void LogPhaseFailed(Exception exception, string runId);

    [LoggerMessage(1010, LogLevel.Information, "Run {RunId} {What} on request")]
    private partial void LogRunControlled(string runId, string what);

    [LoggerMessage(1001, LogLevel.Information, "Connection {ConnectionId} is leased by {Owner} until {Until}; backing off")]
    private partial void LogLeaseHeld(string connectionId, string? owner, DateTimeOffset? until);

    [LoggerMessage(1002, LogLevel.Information, "Run {RunId} of connection {ConnectionId} started ({Mode}, attempt {Attempt})")]
    private partial void LogRunStarted(string runId, string connectionId, SyncMode mode, int attempt);

    [LoggerMessage(1003, LogLevel.Information, "Run {RunId} finished {Status}: {Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} failed")]
    private partial void LogRunFinished(string runId, RunStatus status, long created, long updated, long unchanged, long failed);

    [LoggerMessage(1004, LogLevel.Warning, "Run {RunId} lost its lease on connection {ConnectionId}; stopping")]
    private partial void LogLeaseLost(string runId, string connectionId);

    [LoggerMessage(1005, LogLevel.Information, "Run {RunId} interrupted after page {PageSeq}; it resumes on the next attempt")]
    private partial void LogRunInterrupted(string runId, long pageSeq);

    [LoggerMessage(1006, LogLevel.Warning, "Run {RunId} failed: {Error}")]
    private partial void LogRunFailed(string runId, string? error);

    [LoggerMessage(1007, LogLevel.Error, "Run {RunId} failed with an unexpected error")]
    private partial void LogRunCrashed(Exception exception, string runId);

    [LoggerMessage(1008, LogLevel.Warning, "Could not write the final checkpoint of run {RunId}")]
    private partial void LogCheckpointFailed(Exception exception, string runId);

    [LoggerMessage(1014, LogLevel.Warning, "Run {RunId} stopped: storage is unreachable; it resumes from its last checkpoint on the next attempt")]
    private partial void LogStorageUnavailable(Exception exception, string runId);

    [LoggerMessage(1015, LogLevel.Information, "Run {RunId}: {Percent}% ({Done} of about {Expected} records; {Throttled} rate-limit answers so far)")]
    private partial void LogRunProgress(string runId, double percent, long done, long expected, long throttled);

    [LoggerMessage(1016, LogLevel.Warning, "Run {RunId} was throttled: {Throttled} rate-limit answers in {Requests} requests, {WaitMs} ms spent waiting on rate limits")]
    private partial void LogRunThrottled(string runId, long throttled, long requests, long waitMs);

    [LoggerMessage(1017, LogLevel.Information, "Run {RunId} had already ended ({Status}) when its job was taken; not started")]
    private partial void LogRunAlreadyEnded(string runId, RunStatus status);

    [LoggerMessage(1009, LogLevel.Warning, "Could not update connection {ConnectionId} after its run")]
    private partial void LogConnectionUpdateFailed(Exception exception, string connectionId);
}

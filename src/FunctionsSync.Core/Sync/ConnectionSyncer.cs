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
        if (connection is null)
        {
            return new(SyncOutcomeKind.ConnectionNotFound, null, $"Connection {request.ConnectionId} does not exist.");
        }

        var owner = request.Owner ?? $"runner/{Guid.NewGuid():N}";
        var attempt = await state.TryAcquireLeaseAsync(connection.Id, owner, Options.LeaseDuration, cancellationToken);
        if (attempt.Lease is not { } lease)
        {
            LogLeaseHeld(connection.Id, attempt.HeldBy, attempt.HeldUntil);
            return new(SyncOutcomeKind.LeaseHeld, null, $"Connection {connection.Id} is being synced by {attempt.HeldBy} (lease until {attempt.HeldUntil:O}).");
        }

        var adapter = adapters.Get(connection.Marketplace);
        var run = await StartOrResumeAsync(connection, adapter, lease, request, cancellationToken);
        using var activity = SyncTracing.Source.StartActivity("sync.run");
        activity?.SetTag("functionssync.run_id", run.RunId);
        activity?.SetTag("functionssync.connection_id", connection.Id);
        activity?.SetTag("functionssync.marketplace", connection.Marketplace);
        var calls = MarketplaceCallScope.Begin(run.RunId, run.Calls);
        var lastProgressLog = Now;
        var lastProgressEvent = DateTimeOffset.MinValue;
        if (run.Status == RunStatus.Paused && await state.GetControlAsync(run.RunId, cancellationToken) == RunControl.Pause)
        {
            await state.CheckpointAsync(lease, new(run, [], Now, Release: true, ActiveRunId: run.RunId), CancellationToken.None);
            return new(SyncOutcomeKind.Paused, run, "The run is paused.");
        }

        var cursors = new Dictionary<EntityType, EntityCursor>(await state.GetCursorsAsync(connection.Id, cancellationToken));
        EntityType? current = null;
        var pages = 0;
        var lastControlCheck = DateTimeOffset.MinValue;

        // The checkpoint of page N is written while later pages are ingested; it must land before checkpoint N+1 (the
        // lease's ETag chains them) and before anything else uses the lease. Safe because ingestion is idempotent per
        // (run, page): a crash in between repeats the pages after the last landed checkpoint exactly as they were.
        Task<SyncLease>? landing = null;
        async Task SettleAsync()
        {
            if (landing is not null)
            {
                var pending = landing;
                landing = null;
                lease = await pending;
            }
        }

        try
        {
            // A caller stepping its own run continues it; anyone else starts (or resumes) an attempt.
            if (!(attempt.Renewed && run.Status == RunStatus.Running))
            {
                var firstStart = run.Attempts == 0;
                run = RunProgress.StartedRunning(run, Now) with { Attempts = run.Attempts + 1 };
                IReadOnlyList<OutboxEvent> started = firstStart ? [WebhookPayloads.ForRun(WebhookEventTypes.SyncStarted, run, Now)] : [];
                lease = await CheckpointAndSignalAsync(lease, new(run, [], LeaseUntil, Release: false, run.RunId, started), cancellationToken);
                events.Run(Events.LiveEventTypes.RunStarted, run);
                LogRunStarted(run.RunId, connection.Id, run.Mode, run.Attempts);
            }

            foreach (var type in run.EntityTypes)
            {
                if (run.Entity(type) is not { State: EntityRunState.Pending or EntityRunState.Running } progress)
                {
                    continue;
                }

                current = type;
                var cursor = cursors.GetValueOrDefault(type) ?? new EntityCursor { EntityType = type };
                if (cursor.RunId != run.RunId)
                {
                    cursor = StartFeed(cursor, run);
                }

                run = run.WithEntity(progress with { State = EntityRunState.Running });
                if (cursor.PageToken is null)
                {
                    ReportPhase(run.RunId, RunPhase.Fetching);
                }

                // Pages flow three deep: page N+1 is fetched and page N written while page N−1 is applied and
                // checkpointed. A page's checkpoint is still written only after its records are, so a crash anywhere
                // repeats at most the pages after the last checkpoint, which idempotent ingestion absorbs.
                Task<FetchPage>? readAhead = null;
                PendingPage? pending = null;
                async Task CompleteAsync(PendingPage? page)
                {
                    if (page is null)
                    {
                        return;
                    }

                    var result = await page.Ingest;
                    var detected = Detected(type, page.Page, result);
                    // Conflicts are stored (with their events) before the checkpoint that counts them; a replayed page finds them.
                    await SignalAsync(await conflicts.RecordAsync(run, page.Seq, detected, cancellationToken));
                    (run, cursor) = ApplyPage(run, cursor, page.Page, result, page.Seq, detected);
                    run = run with { Calls = calls.Total };
                    metrics.RecordPage(connection.Marketplace, type, result, page.Page.Rejected.Count);
                    if (Now - lastProgressLog >= ProgressLogInterval)
                    {
                        lastProgressLog = Now;
                        var (done, expected) = RunProgress.Work(run);
                        LogRunProgress(run.RunId, RunProgress.PercentOf(run), done, expected, run.Calls?.Throttled ?? 0);
                    }
                    await SettleAsync();
                    // Not cancellable: a checkpoint that was started is worth finishing, even on shutdown.
                    var checkpoint = new Checkpoint(run, [cursor], LeaseUntil, Release: false, run.RunId);
                    landing = state.CheckpointAsync(lease, checkpoint, CancellationToken.None);
                    cursors[type] = cursor;
                    if (Now - lastProgressEvent >= liveOptions.Value.ProgressInterval)
                    {
                        lastProgressEvent = Now;
                        events.Run(Events.LiveEventTypes.RunProgress, checkpoint.Run);
                    }
                }

                try
                {
                    var token = cursor.PageToken;
                    var more = !cursor.Completed;
                    var nextSeq = run.PageSeq + 1;
                    while (more)
                    {
                        if (cancellationToken.IsCancellationRequested)
                        {
                            // Stopping between pages keeps the page whose records are already written.
                            await CompleteAsync(Take(ref pending));
                            cancellationToken.ThrowIfCancellationRequested();
                        }

                        if (pages++ >= maxPages || (pages > 1 && Now >= sliceEnds))
                        {
                            await CompleteAsync(Take(ref pending));
                            await SettleAsync();
                            return new(SyncOutcomeKind.InProgress, run, $"Stopped after {maxPages} page(s); the run continues on the next call.");
                        }

                        // Operator requests are looked up at most every ControlCheckInterval: a pause lands within a page or so.
                        if (Now - lastControlCheck >= Options.ControlCheckInterval)
                        {
                            lastControlCheck = Now;
                            await CompleteAsync(Take(ref pending));
                            await SettleAsync();
                            if (await ControlledStopAsync(run, lease, connection) is { } stopped)
                            {
                                return stopped;
                            }
                        }

                        var page = await (readAhead ?? FetchWriteAsync(adapter, connection, new FetchRequest(type, cursor.RunSince, token, PageSize(connection)), cancellationToken));
                        readAhead = null;

                        // Read ahead: the next page is fetched while this one is written. Fetching has no side effects, so a
                        // read-ahead page that is never used (pause, crash) costs nothing but the request.
                        if (page.NextPageToken is { } next && pages < maxPages)
                        {
                            readAhead = FetchWriteAsync(adapter, connection, new FetchRequest(type, cursor.RunSince, next, PageSize(connection)), cancellationToken);
                        }

                        var seq = nextSeq++;
                        var previous = Take(ref pending);
                        pending = new PendingPage(page, seq, ingestion.IngestAsync(new IngestContext(connection.Id, run.RunId, seq, type, run.Mode), page.Records, cancellationToken));
                        await CompleteAsync(previous);
                        token = page.NextPageToken;
                        more = token is not null;
                    }

                    await CompleteAsync(Take(ref pending));
                    await SettleAsync();
                }
                finally
                {
                    Abandon(readAhead);
                    Abandon(pending?.Ingest);
                }
            }

            current = null;
            ReportPhase(run.RunId, RunPhase.Finalizing);
            var counters = run.Counters;
            run = run with
            {
                Status = counters.Failed > 0 ? RunStatus.Partial : RunStatus.Succeeded,
                Phase = null,
                FinishedAt = Now,
                UpdatedAt = Now,
                Calls = calls.Total,
            };
            await CheckpointAndSignalAsync(lease, new(run, [], Now, Release: true, ActiveRunId: null, [WebhookPayloads.ForRun(WebhookEventTypes.SyncCompleted, run, Now)]), CancellationToken.None);
            await state.SetControlAsync(run.RunId, null, CancellationToken.None);
            events.Run(Events.LiveEventTypes.RunFinished, run);
            await UpdateConnectionAsync(connection, ConnectionHealth.Active, null, failed: false);
            LogRunFinished(run.RunId, run.Status, counters.Created, counters.Updated, counters.Unchanged, counters.Failed);
            Ended(run, activity);
            return new(SyncOutcomeKind.Finished, run);
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(run.RunId, connection.Id);
            return new(SyncOutcomeKind.LeaseLost, run, "The lease was taken over; the new holder resumes the run.");
        }
        catch (StorageUnavailableException ex)
        {
            // Not the run's fault, so it does not fail: once storage answers again it is marked interrupted at its last
            // checkpoint (what landed; pages in flight are repeated, which idempotent ingestion absorbs). Should storage
            // stay away past StorageOutageWait, the exception goes to the caller with the run as last checkpointed,
            // under this owner's lease until it expires; whoever runs it next resumes it.
            Abandon(landing);
            LogStorageUnavailable(ex, run.RunId);
            if (await InterruptWhenStorageAnswersAsync(connection.Id, owner, run, cancellationToken) is { } interrupted)
            {
                return interrupted;
            }

            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lease = await SettledQuietlyAsync(landing, lease);
            run = run with { Status = RunStatus.Interrupted, UpdatedAt = Now, Calls = calls.Total };
            await TryCheckpointAsync(lease, new(run, [], Now, Release: true, run.RunId));
            LogRunInterrupted(run.RunId, run.PageSeq);
            return new(SyncOutcomeKind.Interrupted, run, "Stopped between pages; the next run resumes from the last saved page.");
        }
        catch (MarketplaceException ex)
        {
            lease = await SettledQuietlyAsync(landing, lease);
            var where = current is { } type ? $"{connection.Marketplace} {type.ToWire()}" : connection.Marketplace;
            run = run with { Status = RunStatus.Failed, Error = $"{where}: {ex.Message}", ErrorKind = ex.Kind, FinishedAt = Now, UpdatedAt = Now, Calls = calls.Total };
            await FailAsync(lease, run, ex.Kind switch
            {
                MarketplaceErrorKind.Auth => ConflictType.AuthError,
                MarketplaceErrorKind.RateLimited or MarketplaceErrorKind.Transient => ConflictType.RetryExhausted,
                _ => null,
            });
            var health = ex.Kind == MarketplaceErrorKind.Auth ? ConnectionHealth.NeedsAttention : connection.Health;
            await UpdateConnectionAsync(connection, health, run.Error, failed: true);
            LogRunFailed(run.RunId, run.Error);
            Ended(run, activity);
            return new(SyncOutcomeKind.Finished, run);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lease = await SettledQuietlyAsync(landing, lease);
            run = run with { Status = RunStatus.Failed, Error = $"Internal error: {ex.Message}", FinishedAt = Now, UpdatedAt = Now, Calls = calls.Total };
            await FailAsync(lease, run, null);
            await UpdateConnectionAsync(connection, connection.Health, run.Error, failed: true);
            LogRunCrashed(ex, run.RunId);
            Ended(run, activity);
            return new(SyncOutcomeKind.Finished, run);
        }
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

    /// <summary>The lease after a checkpoint still in flight when the run stopped; the old one if that checkpoint failed.</summary>
    private static async Task<SyncLease> SettledQuietlyAsync(Task<SyncLease>? landing, SyncLease lease)
    {
        try
        {
            return landing is null ? lease : await landing;
        }
        catch (Exception)
        {
            // Lost lease or storage fault: the final write with the old lease fails too and is skipped.
            return lease;
        }
    }

    /// <summary>A read-ahead page or a write nobody will wait for: its failure (if any) must not go unobserved.</summary>
    private static void Abandon(Task? task) =>
        task?.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);

    private static PendingPage? Take(ref PendingPage? pending)
    {
        var taken = pending;
        pending = null;
        return taken;
    }

    /// <summary>A fetched page whose records are being written.</summary>
    private sealed record PendingPage(FetchPage Page, long Seq, Task<IngestResult> Ingest);

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

    private async Task<SyncRun> StartOrResumeAsync(Connection connection, IMarketplaceAdapter adapter, SyncLease lease, SyncRequest request, CancellationToken cancellationToken)
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

    private EntityCursor StartFeed(EntityCursor cursor, SyncRun run) => cursor with
    {
        RunId = run.RunId,
        RunSince = run.Mode == SyncMode.Full || cursor.HighWaterMark is null ? null : cursor.HighWaterMark - Options.OverlapWindow,
        PageToken = null,
        PendingHighWaterMark = null,
        HoldBefore = null,
        HoldAll = false,
        Completed = false,
        ReportedTotal = null,
    };

    private (SyncRun Run, EntityCursor Cursor) ApplyPage(SyncRun run, EntityCursor cursor, FetchPage page, IngestResult result, long pageSeq, IReadOnlyList<DetectedConflict> detected)
    {
        var newestSeen = page.Records.Count > 0 ? page.Records.Max(r => r.UpdatedAt) : (DateTimeOffset?)null;
        var oldestRejected = page.Rejected.Where(r => r.UpdatedAt is not null).Select(r => r.UpdatedAt).Min();
        cursor = cursor with
        {
            PageToken = page.NextPageToken,
            PendingHighWaterMark = Max(cursor.PendingHighWaterMark, newestSeen),
            HoldBefore = Min(cursor.HoldBefore, oldestRejected),
            HoldAll = cursor.HoldAll || page.Rejected.Any(r => r.UpdatedAt is null),
            Completed = page.NextPageToken is null,
            // The first total the marketplace reports (a report's size is known only once it is made).
            ReportedTotal = cursor.ReportedTotal ?? page.TotalCount,
            StoredRecords = cursor.StoredRecords + result.Created,
        };
        if (cursor.Completed)
        {
            cursor = cursor with { HighWaterMark = AdvancedHighWaterMark(cursor), LastSyncedAt = Now };
        }

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

        run = run.WithEntity(progress with { Counters = counters, State = cursor.Completed ? EntityRunState.Done : EntityRunState.Running }) with
        {
            Conflicts = conflictCounts,
            // Pages flow: the next one is fetched while this one is written.
            Phase = RunPhase.Ingesting,
            PageSeq = pageSeq,
            RecordErrors = errors,
            UpdatedAt = Now,
        };
        return (run, cursor);
    }

    /// <summary>The cursor moves to the newest change seen, but never past a record that was rejected.</summary>
    private static DateTimeOffset? AdvancedHighWaterMark(EntityCursor cursor)
    {
        if (cursor.HoldAll)
        {
            return cursor.HighWaterMark;
        }

        var candidate = cursor.PendingHighWaterMark;
        if (cursor.HoldBefore is { } hold)
        {
            candidate = Min(candidate, hold - TimeSpan.FromSeconds(1));
        }

        return Max(cursor.HighWaterMark, candidate);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

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

    /// <summary>Ends the run as failed with its <c>sync.failed</c> event, and opens a connection-level conflict where a person must act.</summary>
    private async Task FailAsync(SyncLease lease, SyncRun run, ConflictType? conflictType)
    {
        if (!await TryCheckpointAsync(lease, new(run, [], Now, Release: true, ActiveRunId: null, [WebhookPayloads.ForRun(WebhookEventTypes.SyncFailed, run, Now)])))
        {
            return;
        }

        events.Run(Events.LiveEventTypes.RunFinished, run);

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
    /// Records the run's outcome on the connection: health, last error, and the failure streak, which flags the
    /// connection at <see cref="SyncOptions.FailureWarningThreshold"/> and disables it at <see cref="SyncOptions.FailureDisableThreshold"/>.
    /// </summary>
    private async Task UpdateConnectionAsync(Connection connection, ConnectionHealth health, string? error, bool failed)
    {
        try
        {
            // Applied to the row as stored now (credentials or settings may have changed while the run went on), and
            // again should a PATCH land between the read and the write: both changes are kept.
            await connections.UpdateAsync(connection.Id, current =>
            {
                var streak = failed ? current.ConsecutiveFailures + 1 : 0;
                var flags = current.Flags.Where(f => f is not (FlagFailing or FlagDisabled)).ToList();
                var enabled = current.Enabled;
                if (streak >= Options.FailureDisableThreshold)
                {
                    flags.Add(FlagDisabled);
                    enabled = false;
                }
                else if (streak >= Options.FailureWarningThreshold)
                {
                    flags.Add(FlagFailing);
                }

                return current.Health == health && current.LastError == error && current.ConsecutiveFailures == streak && current.Enabled == enabled && flags.SequenceEqual(current.Flags)
                    ? null
                    : current with { Health = health, LastError = error, ConsecutiveFailures = streak, Flags = flags, Enabled = enabled, UpdatedAt = Now };
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogConnectionUpdateFailed(ex, connection.Id);
        }
    }

    /// <summary>An operator asked to pause or cancel: stop here, between pages, and free the connection's lease.</summary>
    private async Task<SyncOutcome?> ControlledStopAsync(SyncRun run, SyncLease lease, Connection connection)
    {
        switch (await state.GetControlAsync(run.RunId, CancellationToken.None))
        {
            case RunControl.Cancel:
                var cancelled = run with { Status = RunStatus.Cancelled, Phase = null, FinishedAt = Now, UpdatedAt = Now, Error = "Cancelled by an operator." };
                await state.CheckpointAsync(lease, new(cancelled, [], Now, Release: true, ActiveRunId: null), CancellationToken.None);
                await state.SetControlAsync(run.RunId, null, CancellationToken.None);
                LogRunControlled(run.RunId, "cancelled");
                events.Run(Events.LiveEventTypes.RunFinished, cancelled);
                metrics.RecordRunEnded(cancelled, RunProgress.ActiveMs(RunProgress.Settled(cancelled), Now));
                return new(SyncOutcomeKind.Finished, cancelled, "Cancelled by an operator.");
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

    private const string FlagFailing = "failing";
    private const string FlagDisabled = "disabled_after_failures";

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

    [LoggerMessage(1009, LogLevel.Warning, "Could not update connection {ConnectionId} after its run")]
    private partial void LogConnectionUpdateFailed(Exception exception, string connectionId);
}

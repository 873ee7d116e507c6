using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// Reads one entity type's feed of a run from its cursor, page by page: fetch (one page read ahead) → ingest →
/// conflicts → checkpoint (cursor, counters, lease renewal in one write, landing while the next page flows). Between
/// pages it honours the caller's stop, the slice's page and time budget, and an operator's pause or cancel.
/// </summary>
public sealed class FeedReader(
    IIngestionDispatcher ingestion,
    Deletions.IRecordReconciliation reconciliation,
    ConflictRecorder conflicts,
    RunCheckpoints checkpoints,
    RunEndings endings,
    SyncMetrics metrics,
    Events.LiveEvents events,
    IOptions<SyncOptions> options,
    IOptions<Events.LiveEventOptions> liveOptions,
    TimeProvider time,
    ILogger<ConnectionSyncer> logger)
{
    /// <summary>How often a running run logs a progress line (its start, throttling and end are logged as they happen).</summary>
    private static readonly TimeSpan ProgressLogInterval = TimeSpan.FromSeconds(10);

    private SyncOptions Options => options.Value;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Reads the feed to its end; returns how the run stopped early (the slice used up, a pause or cancel), or null once the feed is done.</summary>
    internal async Task<SyncOutcome?> ReadAsync(RunAttempt attempt, EntityType type, int maxPages, DateTimeOffset sliceEnds, CancellationToken cancellationToken)
    {
        if (attempt.Run.Entity(type) is not { State: EntityRunState.Pending or EntityRunState.Running } progress)
        {
            return null;
        }

        var cursor = attempt.StoredCursor(type) ?? new EntityCursor { EntityType = type };
        if (cursor.RunId != attempt.Run.RunId)
        {
            cursor = cursor.StartFeed(attempt.Run.RunId, attempt.Run.Mode, Options.OverlapWindow, attempt.Run.Window);
        }

        attempt.Reading(cursor);
        attempt.Record(attempt.Run.WithEntity(progress with { State = EntityRunState.Running }));
        if (cursor.PageToken is null)
        {
            checkpoints.ReportPhase(attempt.Run.RunId, RunPhase.Fetching);
        }

        using var pipeline = new PagePipeline();
        var (connection, since, until) = (attempt.Connection, cursor.RunSince, attempt.Run.Window?.To);
        // A notified run reads just the records named where the adapter can; otherwise the feed from its mark.
        var ids = attempt.Run.TargetsOf(type) is { } named && attempt.Adapter.FetchesByIds.Contains(type) ? named : null;
        var pageSize = attempt.Adapter.Requirements.PageSize.Of(connection) ?? Options.PageSize;
        // The feeds this run reads after this one and has not begun: an adapter may prepare them while this one is read.
        var lookahead = new FeedLookahead(attempt.Run.RunId, [.. attempt.Run.EntityTypes.SkipWhile(t => t != type).Skip(1)
            .Where(t => attempt.Run.Entity(t) is { State: EntityRunState.Pending })]);
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

            var begun = attempt.BeginPage();
            if (begun > maxPages || (begun > 1 && Now >= sliceEnds))
            {
                await CompleteAsync(attempt, pipeline.TakePending(), cancellationToken);
                await SaveHeldBackAsync(attempt);
                return new(SyncOutcomeKind.InProgress, attempt.Run, $"Stopped after {maxPages} page(s); the run continues on the next call.");
            }

            // Operator requests are looked up at most every ControlCheckInterval: a pause lands within a page or so.
            if (attempt.ControlChecks.Due(Now, Options.ControlCheckInterval))
            {
                await CompleteAsync(attempt, pipeline.TakePending(), cancellationToken);
                await attempt.Chain.SettleAsync();
                if (await endings.ControlledStopAsync(attempt) is { } stopped)
                {
                    return stopped;
                }

                if (attempt.Run.Mode == SyncMode.Backfill && await endings.YieldToMainLaneAsync(attempt) is { } yielded)
                {
                    return yielded;
                }
            }

            FetchPage page;
            try
            {
                page = await (pipeline.TakeReadAhead() ?? FetchWriteAsync(attempt.Adapter, connection, new FetchRequest(type, since, token, pageSize, until, ids) { Lookahead = lookahead }, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The run ends on this fetch: the page before it is written, so it is counted and checkpointed first (a
                // failed run's counters say what it stored, and a retry resumes after it).
                await CompleteQuietlyAsync(attempt, pipeline.TakePending(), cancellationToken);
                throw;
            }

            // Read ahead: the next page is fetched while this one is written. Fetching has no side effects, so a
            // read-ahead page that is never used (pause, crash) costs nothing but the request.
            if (page.NextPageToken is { } next && attempt.Pages < maxPages)
            {
                pipeline.ReadAhead(FetchWriteAsync(attempt.Adapter, connection, new FetchRequest(type, since, next, pageSize, until, ids) { Lookahead = lookahead }, cancellationToken));
            }

            var seq = nextSeq++;
            var ingest = IngestAsync(attempt, type, seq, page, cancellationToken);
            await CompleteAsync(attempt, pipeline.Push(new PendingPage(page, seq, ingest, Targeted: ids is not null)), cancellationToken);
            token = page.NextPageToken;
            more = token is not null;
        }

        await CompleteAsync(attempt, pipeline.TakePending(), cancellationToken);
        await attempt.Chain.SettleAsync();
        return null;
    }

    /// <summary>
    /// Writes a page's records; in a full run of a feed that lists everything, notes its ids beside (before the
    /// checkpoint that passes the page, so a reconciliation never misses a page it counted).
    /// </summary>
    private async Task<IngestResult> IngestAsync(RunAttempt attempt, EntityType type, long seq, FetchPage page, CancellationToken cancellationToken)
    {
        // A span per page written, beside the fetch's (sync.page) and the checkpoint's: where a run's time goes.
        using var span = SyncTracing.Source.StartActivity("sync.ingest");
        span?.SetTag("functionssync.entity_type", type.ToWire());
        span?.SetTag("functionssync.records", page.Records.Count);
        var run = attempt.Run;
        var note = run.Mode == SyncMode.Full && attempt.Adapter.FullReadListsAll.Contains(type)
            ? reconciliation.NoteSeenAsync(
                new(run.RunId, attempt.Connection.Id, type, seq, [.. page.Records.Select(r => r.ExternalId), .. page.Rejected.Where(r => r.ExternalId is not null).Select(r => r.ExternalId!)]),
                cancellationToken)
            : Task.CompletedTask;
        // A backfill stores only its window: a marketplace without an upper date filter lists later changes too, which
        // are the schedule's to read (and one read here could be older than what the schedule stored meanwhile).
        var records = run.Window is { } window ? [.. page.Records.Where(r => window.Contains(r.UpdatedAt))] : page.Records;
        var result = await ingestion.IngestAsync(new IngestContext(attempt.Connection.Id, run.RunId, seq, type, run.Mode), records, cancellationToken);
        await note;
        return result;
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
        var detected = PageAccounting.Detected(type, page.Page, result);
        // Conflicts are stored (with their events) before the checkpoint that counts them; a replayed page finds them.
        await checkpoints.SignalAsync(await conflicts.RecordAsync(attempt.Run, page.Seq, detected, cancellationToken));
        // Freshness: in an incremental run, each record changed since the feed's mark (read before this page may move it).
        var lags = attempt.Run.Mode == SyncMode.Incremental && cursor.HighWaterMark is { } mark
            ? page.Page.Records.Where(r => r.UpdatedAt > mark).Select(r => Math.Max(0, (Now - r.UpdatedAt).TotalSeconds)).ToList()
            : [];
        cursor = attempt.Reading(page.Targeted ? cursor.ObserveTargeted(page.Page, result.Created, Now) : cursor.Observe(page.Page, result.Created, Now));
        var run = PageAccounting.Apply(attempt.Run, cursor, page.Page, result, page.Seq, detected, Options.MaxRecordErrors, Now) with { Calls = attempt.Calls.Total };
        if (lags.Count > 0 && run.Entity(type) is { } entity)
        {
            run = run.WithEntity(entity with { Lag = (entity.Lag ?? LagHistogram.Empty).Add(lags) });
            metrics.RecordFreshness(attempt.Connection.Marketplace, type, lags);
        }

        run = attempt.Record(run);
        metrics.RecordPage(attempt.Connection.Marketplace, type, result, page.Page.Rejected.Count);
        if (attempt.ProgressLogs.Due(Now, ProgressLogInterval))
        {
            var (done, expected) = RunProgress.Work(run);
            logger.RunProgress(run.RunId, RunProgress.PercentOf(run), done, expected, run.Calls?.Throttled ?? 0);
        }

        await attempt.Chain.SettleAsync();
        if (page.Page.Records.Count + page.Page.Rejected.Count == 0 && page.Page.NextPageToken is null && detected.Count == 0)
        {
            // The feed ended on an empty page: its cursor goes with the attempt's next checkpoint.
            attempt.SaveLater(cursor);
            return;
        }

        var checkpoint = new Checkpoint(run, attempt.TakeUnsaved(cursor), Now + Options.LeaseDuration, Release: false, run.RunId);
        checkpoints.Checkpointing(run.RunId);
        attempt.Chain.Begin(checkpoint);
        attempt.Checkpointed(cursor);
        if (attempt.ProgressEvents.Due(Now, liveOptions.Value.ProgressInterval))
        {
            events.Run(Events.LiveEventTypes.RunProgress, checkpoint.Run);
        }
    }

    /// <summary>The slice ends here: cursors held back for a checkpoint get one (the next slice must not read their feeds again).</summary>
    private async Task SaveHeldBackAsync(RunAttempt attempt)
    {
        await attempt.Chain.SettleAsync();
        if (attempt.TakeUnsaved() is { Count: > 0 } held)
        {
            attempt.Chain.Begin(new Checkpoint(attempt.Run, held, Now + Options.LeaseDuration, Release: false, attempt.Run.RunId));
            await attempt.Chain.SettleAsync();
        }
    }

    /// <summary>
    /// <see cref="CompleteAsync"/> of the page written before a failure, without hiding that failure behind another (a
    /// page that cannot be completed now is repeated by the next run, which idempotent ingestion absorbs).
    /// </summary>
    private async Task CompleteQuietlyAsync(RunAttempt attempt, PendingPage? page, CancellationToken cancellationToken)
    {
        try
        {
            await CompleteAsync(attempt, page, cancellationToken);
            await attempt.Chain.SettleAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogDebug(ex, "Run {RunId}: the page before a failed fetch could not be completed", attempt.Run.RunId);
        }
    }

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
        var expected = page.Expected;
        while (last.NextPageToken is { } next && records.Count + rejected.Count < Options.MinRecordsPerWrite)
        {
            last = await adapter.FetchPageAsync(connection, request with { PageToken = next }, cancellationToken);
            records.AddRange(last.Records);
            rejected.AddRange(last.Rejected);
            expected = last.Expected is { } more ? (expected ?? 0) + more : expected;
            if (last.Records.Count + last.Rejected.Count == 0)
            {
                break;
            }
        }

        return new FetchPage(records, rejected, last.NextPageToken, page.TotalCount, last.RateLimit ?? page.RateLimit, expected);
    }
}

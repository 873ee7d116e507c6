using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// Runs one sync of one connection: the lease, then the run to go on with (<see cref="RunStarter"/>), each entity
/// type's feed page by page (<see cref="FeedReader"/>: fetch → ingest → checkpoint), and how the attempt stops
/// (<see cref="RunEndings"/>). A page is ingested before its checkpoint, so a run killed anywhere repeats at most the
/// two pages after its last checkpoint (the pipeline's depth), which idempotent ingestion absorbs.
/// </summary>
public sealed class ConnectionSyncer(
    IConnectionStore connections,
    ISyncStateStore state,
    IMarketplaceAdapterRegistry adapters,
    RunStarter starter,
    FeedReader feeds,
    RunEndings endings,
    StorageOutageRecovery outage,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<ConnectionSyncer> logger)
{
    private DateTimeOffset Now => time.GetUtcNow();

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

        // Every entry of the run carries the store as people know it (a scope, for structured sinks), beside the ids.
        using var names = logger.BeginScope("{Store}", SyncLogs.StoreName(connection));
        var owner = request.Owner ?? $"runner/{Guid.NewGuid():N}";
        var acquired = await state.TryAcquireLeaseAsync(connection.Id, SyncLanes.Of(request.Mode), owner, options.Value.LeaseDuration, cancellationToken);
        if (acquired.Lease is not { } lease)
        {
            logger.LeaseHeld(connection.Id, acquired.HeldBy, acquired.HeldUntil);
            return new(SyncOutcomeKind.LeaseHeld, null, $"Connection {connection.Id} is being synced by {acquired.HeldBy} (lease until {acquired.HeldUntil:O}).");
        }

        var adapter = adapters.Get(connection.Marketplace);
        if (await starter.StartOrResumeAsync(connection, adapter, lease, request, cancellationToken) is not { } run)
        {
            return await AlreadyEndedAsync(lease, request.RunId!, owner, cancellationToken);
        }

        using var activity = SyncTracing.Source.StartActivity("sync.run");
        activity?.SetTag("functionssync.run_id", run.RunId);
        activity?.SetTag("functionssync.connection_id", connection.Id);
        activity?.SetTag("functionssync.marketplace", connection.Marketplace);
        var cursors = lease.Cursors ?? await state.GetCursorsAsync(connection.Id, lease.Lane, cancellationToken);
        var attempt = new RunAttempt(connection, adapter, run, cursors, new CheckpointChain(state, lease), MarketplaceCallScope.Begin(run.RunId, run.Calls), activity, Now);
        // An operator's request that landed before this runner took the lease: a cancelled run ends here, unstarted.
        switch (attempt.Looked(await state.GetControlAsync(run.RunId, cancellationToken)))
        {
            case RunControl.Cancel:
                return (await endings.ControlledStopAsync(attempt))!;
            case RunControl.Pause when run.Status == RunStatus.Paused:
                await state.CheckpointAsync(lease, new(run, [], Now, Release: true, ActiveRunId: run.RunId), CancellationToken.None);
                return new(SyncOutcomeKind.Paused, run, "The run is paused.");
        }

        try
        {
            await starter.BeginAttemptAsync(attempt, acquired.Renewed, cancellationToken);
            foreach (var type in attempt.Run.EntityTypes)
            {
                if (await feeds.ReadAsync(attempt, type, maxPages, sliceEnds, cancellationToken) is { } stopped)
                {
                    return stopped;
                }
            }

            return await endings.FinishAsync(attempt);
        }
        catch (LeaseLostException)
        {
            logger.LeaseLost(attempt.Run.RunId, connection.Id);
            return new(SyncOutcomeKind.LeaseLost, attempt.Run, "The lease was taken over; the new holder resumes the run.");
        }
        catch (StorageUnavailableException ex)
        {
            // Not the run's fault, so it does not fail: once storage answers again it is marked interrupted at its last
            // checkpoint (what landed; pages in flight are repeated, which idempotent ingestion absorbs). Should storage
            // stay away past StorageOutageWait, the exception goes to the caller with the run as last checkpointed,
            // under this owner's lease until it expires; whoever runs it next resumes it.
            attempt.Chain.Abandon();
            logger.StorageUnavailable(ex, attempt.Run.RunId);
            if (await outage.InterruptWhenStorageAnswersAsync(connection.Id, owner, attempt.Run, cancellationToken) is { } interrupted)
            {
                return interrupted;
            }

            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await endings.InterruptAsync(attempt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await endings.FailAsync(attempt, RunFailure.From(ex, attempt.Where));
        }
    }

    /// <summary>The run asked for ended (cancelled) between its job's dequeue and this lease: it is not started; the lease goes back.</summary>
    private async Task<SyncOutcome> AlreadyEndedAsync(SyncLease lease, string runId, string owner, CancellationToken cancellationToken)
    {
        var ended = (await state.GetRunAsync(runId, cancellationToken))!;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await state.CheckpointAsync(lease, new(ended, [], Now, Release: true, ActiveRunId: lease.ActiveRunId == ended.RunId ? null : lease.ActiveRunId), CancellationToken.None);
                break;
            }
            catch (LeaseLostException) when (attempt < 3)
            {
                // The connection looked free, so a new run was queued on it meanwhile: release the lease as it stands now
                // (the same owner takes its own lease back whatever its version), keeping that run.
                if ((await state.TryAcquireLeaseAsync(lease.ConnectionId, lease.Lane, owner, options.Value.LeaseDuration, CancellationToken.None)).Lease is not { } current)
                {
                    break;
                }

                lease = current;
            }
        }

        logger.RunAlreadyEnded(ended.RunId, ended.Status);
        return new(SyncOutcomeKind.Finished, ended, $"Run {ended.RunId} had already ended ({ended.Status}); it was not started.");
    }
}

using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Sync;

/// <summary>Which run a lease holder goes on with (an unfinished one first, else the one asked for, else a new one), and the start of its attempt.</summary>
public sealed class RunStarter(ISyncStateStore state, RunCheckpoints checkpoints, Events.LiveEvents events, IOptions<SyncOptions> options, TimeProvider time, ILogger<ConnectionSyncer> logger)
{
    private DateTimeOffset Now => time.GetUtcNow();

    /// <returns>The run to go on with; null when the run the request names has already ended (a cancel that landed as its job was taken) and nothing else is unfinished.</returns>
    internal async Task<SyncRun?> StartOrResumeAsync(Connection connection, IMarketplaceAdapter adapter, SyncLease lease, SyncRequest request, CancellationToken cancellationToken)
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

        // A run that ended is never started again under its id.
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
            Window = request.Window,
            Entities = [.. types.Select(t => new EntityProgress(
                t, adapter.SupportedEntityTypes.Contains(t) ? EntityRunState.Pending : EntityRunState.Unsupported, RunCounters.Zero))],
            CreatedAt = Now,
            UpdatedAt = Now,
        };
    }

    /// <summary>A caller stepping its own run continues it; anyone else starts (or resumes) an attempt, with <c>sync.started</c> on the first.</summary>
    internal async Task BeginAttemptAsync(RunAttempt attempt, bool renewedOwnLease, CancellationToken cancellationToken)
    {
        if (renewedOwnLease && attempt.Run.Status == RunStatus.Running)
        {
            return;
        }

        var firstStart = attempt.Run.Attempts == 0;
        var run = attempt.Record(RunProgress.StartedRunning(attempt.Run, Now) with { Attempts = attempt.Run.Attempts + 1 });
        IReadOnlyList<OutboxEvent> started = firstStart ? [WebhookPayloads.ForRun(WebhookEventTypes.SyncStarted, run, Now)] : [];
        attempt.Chain.Renewed(await checkpoints.WriteAsync(attempt.Chain.Lease, new(run, [], Now + options.Value.LeaseDuration, Release: false, run.RunId, started), cancellationToken));
        events.Run(Events.LiveEventTypes.RunStarted, run);
        logger.RunStarted(run.RunId, SyncLogs.StoreName(attempt.Connection), attempt.Connection.Id, run.Mode, run.Attempts);
    }
}

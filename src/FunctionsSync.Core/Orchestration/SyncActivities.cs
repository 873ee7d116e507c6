using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Orchestration;

/// <summary>The activities of the sync orchestrations: all their I/O, clocks and configuration live here.</summary>
public sealed class SyncActivities(
    CyclePlanner planner,
    ConnectionSyncer syncer,
    RunLauncher launcher,
    IConnectionStore connections,
    ISyncStateStore state,
    RunCancellation cancellation,
    IScheduleStore schedule,
    IOptions<OrchestrationOptions> orchestration,
    IOptions<SchedulerOptions> scheduler,
    TimeProvider time)
{
    public async Task<CyclePlan> PlanCycleAsync(CycleInput input, CancellationToken cancellationToken)
    {
        var plan = await planner.PlanAsync(input.Kind, input.OrganizationId, cancellationToken);
        var o = orchestration.Value;
        var selection = plan.Selection;
        return new CyclePlan(
            plan.CycleId,
            [
                .. plan.Queued.Select(j => new PlannedRun(j.RunId, j.ConnectionId, j.OrganizationId, InstanceIdFor(j.RunId), j.PlannedAt is null ? null : j)),
                .. plan.Requeued.Select(r => new PlannedRun(r.RunId, r.ConnectionId, r.OrganizationId, InstanceIdFor(r.RunId))),
            ],
            scheduler.Value.OrganizationConcurrency,
            o.GlobalConcurrency,
            o.PagesPerGeneration,
            Retry(),
            o.PausedRecheckInterval,
            new CycleCounts(plan.Considered, selection.Due.Count, selection.Disabled, selection.NeedsAttention, selection.Active + plan.Conflicts, selection.NotDue, plan.Requeued.Count),
            o.CycleLanes,
            o.RunsPerLaneGeneration) { Kind = input.Kind };
    }

    public async Task<PageResult> SyncPageAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var run = await state.GetRunAsync(request.RunId, cancellationToken);
        if (run is null && request.Planned is { } job)
        {
            // A scheduled cycle's run is recorded as it starts, unless the cycle would no longer plan it.
            var start = await launcher.StartPlannedAsync(job, await connections.GetAsync(job.ConnectionId, cancellationToken), cancellationToken);
            if (start.Run is null)
            {
                return new PageResult(PageResultKind.Done, null, 0, 0, null, $"Scheduled job dropped at start: {start.DroppedBecause}.");
            }

            run = start.Run;
        }

        if (run is null)
        {
            return new PageResult(PageResultKind.Done, RunStatus.Failed, 0, 0, null, $"Run {request.RunId} does not exist.");
        }

        if (run.Status.IsFinal())
        {
            return Result(PageResultKind.Done, run, null, null);
        }

        // One slice: pages until SlicePages or SliceDuration, each checkpointed (a retried slice repeats at most what a
        // crashed self-hosted runner repeats). Storage that stays away past Sync:StorageOutageWait escapes as
        // StorageUnavailableException: Durable retries the activity.
        var outcome = await syncer.RunPagesAsync(
            new SyncRequest(request.ConnectionId, run.Mode, run.EntityTypes, run.Trigger, run.RunId, request.Owner),
            orchestration.Value.SlicePages, cancellationToken, orchestration.Value.SliceDuration);
        switch (outcome.Kind)
        {
            case SyncOutcomeKind.Finished:
                return Result(PageResultKind.Done, outcome.Run!, null, null);
            case SyncOutcomeKind.InProgress:
            case SyncOutcomeKind.Interrupted:
            case SyncOutcomeKind.StorageInterrupted:
                return Result(PageResultKind.More, outcome.Run!, null, null);
            case SyncOutcomeKind.Paused:
                return Result(PageResultKind.Paused, outcome.Run!, null, null);
            case SyncOutcomeKind.ConnectionNotFound:
                // Its connection was deleted before the run began: the run ends cancelled, as the delete asked.
                var cancelled = await cancellation.CancelAsync(run.RunId, RunCancellation.ConnectionDeleted, "sync activity", cancellationToken);
                return new PageResult(PageResultKind.Done, cancelled?.Status ?? RunStatus.Cancelled, 0, 0, null, outcome.Message);
            default:
                var lease = await state.GetLeaseAsync(request.ConnectionId, cancellationToken);
                var wait = lease is null ? TimeSpan.FromSeconds(5) : lease.ExpiresAt - time.GetUtcNow() + TimeSpan.FromSeconds(1);
                return Result(PageResultKind.Busy, run, wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait, outcome.Message);
        }
    }

    public async Task<bool> RecordCycleAsync(CycleRecord record, CancellationToken cancellationToken)
    {
        var plan = record.Plan;
        await schedule.SaveCycleAsync(new CycleSummary
        {
            CycleId = plan.CycleId,
            Kind = plan.Kind.WireName(),
            FinishedAt = time.GetUtcNow(),
            Considered = plan.Counts.Considered,
            Due = plan.Counts.Due,
            Queued = plan.Queued,
            Requeued = plan.Counts.Requeued,
            SkippedDisabled = plan.Counts.Disabled,
            SkippedNeedsAttention = plan.Counts.NeedsAttention,
            SkippedActive = plan.Counts.Active,
            SkippedNotDue = plan.Counts.NotDue,
            RunIds = [.. plan.QueuedRunIds],
        }, cancellationToken);
        return true;
    }

    /// <summary>The retry policy orchestrators give their activity calls (they may not read configuration).</summary>
    public ActivityRetry Retry()
    {
        var o = orchestration.Value;
        return new ActivityRetry(o.ActivityMaxAttempts, o.ActivityFirstRetryInterval, 2.0, o.ActivityMaxRetryInterval);
    }

    public ConnectionSyncInput InputFor(SyncRun run) => InputFor(run.RunId, run.ConnectionId);

    public ConnectionSyncInput InputFor(string runId, string connectionId) =>
        new(runId, connectionId, orchestration.Value.PagesPerGeneration, Retry(), orchestration.Value.PausedRecheckInterval);

    /// <summary>ConnectionSync instance ids are the run ids: derived from the connection, unique per run.</summary>
    public static string InstanceIdFor(string runId) => runId;

    private static PageResult Result(PageResultKind kind, SyncRun run, TimeSpan? retryAfter, string? message)
    {
        var counters = run.Counters;
        return new PageResult(kind, run.Status, counters.Processed + counters.Skipped, counters.Total, retryAfter, message ?? run.Error);
    }
}

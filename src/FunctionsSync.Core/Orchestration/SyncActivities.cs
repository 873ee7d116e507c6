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
    RunStep step,
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
            o.RunsPerLaneGeneration) { Kind = input.Kind, Skipped = input.Kind == CycleKind.Full ? selection.Skipped : [] };
    }

    public async Task<PageResult> SyncPageAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var (run, done) = await step.PrepareAsync(request.RunId, request.ConnectionId, request.Planned, "sync activity", checkConnection: false, cancellationToken);
        if (run is null)
        {
            return done!.Run is { } ended
                ? Result(PageResultKind.Done, ended, null, done.Message)
                : new PageResult(PageResultKind.Done, done.Dropped ? null : RunStatus.Failed, 0, 0, null, done.Message);
        }

        // One slice: pages until SlicePages or SliceDuration, each checkpointed (a retried slice repeats at most what a
        // crashed self-hosted runner repeats). Storage that stays away past Sync:StorageOutageWait escapes as
        // StorageUnavailableException: Durable retries the activity.
        var o = orchestration.Value;
        var result = await step.SyncAsync(run, request.Owner, "sync activity", o.SlicePages, o.SliceDuration, cancellationToken);
        return result.Kind switch
        {
            RunStepKind.Done => Result(PageResultKind.Done, result.Run!, null, result.Message),
            RunStepKind.More => Result(PageResultKind.More, result.Run!, null, null),
            RunStepKind.Paused => Result(PageResultKind.Paused, result.Run!, null, null),
            // Busy, or taken over by another runner: look again once the lease may be free.
            _ => Result(PageResultKind.Busy, result.Run!, result.RetryAfter ?? RunStep.MinBusyWait, result.Message),
        };
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

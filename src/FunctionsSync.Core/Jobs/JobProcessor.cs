using FunctionsSync.Core.Concurrency;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Jobs;

/// <summary>
/// What a worker does with one job message: poison check, organization slot, the run itself (with the message and
/// the slot kept alive while it goes on), then delete, retry later, or hand over.
/// </summary>
public sealed partial class JobProcessor(
    IConnectionStore connections,
    ISyncStateStore state,
    IOrganizationSlots slots,
    ConnectionSyncer syncer,
    RunLauncher launcher,
    RunCancellation cancellation,
    IOptions<WorkerOptions> workerOptions,
    IOptions<SchedulerOptions> schedulerOptions,
    IOptions<SyncOptions> syncOptions,
    TimeProvider time,
    ILogger<JobProcessor> logger)
{
    public async Task<JobOutcome> ProcessAsync(IJobMessage message, string owner, CancellationToken cancellationToken)
    {
        var options = workerOptions.Value;
        if (message.Job is not { } job)
        {
            await message.MoveToPoisonAsync("The message is not a sync job.", cancellationToken);
            return JobOutcome.Poisoned;
        }

        if (message.DequeueCount > options.MaxDequeueCount)
        {
            var reason = $"The job was received {message.DequeueCount - 1} times without completing; moved to the poison queue.";
            await state.FailUnheldRunAsync(job.RunId, reason, time.GetUtcNow(), cancellationToken);
            await message.MoveToPoisonAsync(reason, cancellationToken);
            LogPoisoned(job.RunId, message.DequeueCount - 1);
            return JobOutcome.Poisoned;
        }

        var run = await state.GetRunAsync(job.RunId, cancellationToken);
        Connection? connection = null;
        if (run is null && job.PlannedAt is not null)
        {
            // A scheduled cycle's job: its run is recorded now, unless the cycle would no longer plan it.
            connection = await connections.GetAsync(job.ConnectionId, cancellationToken);
            var start = await launcher.StartPlannedAsync(job, connection, cancellationToken);
            if (start.Run is null)
            {
                LogPlannedJobDropped(job.RunId, start.DroppedBecause);
                await message.CompleteAsync(cancellationToken);
                return JobOutcome.Completed;
            }

            run = start.Run;
        }

        if (run is null || run.Status.IsFinal())
        {
            // Already done (a duplicate message, or another replica finished it).
            await message.CompleteAsync(cancellationToken);
            return JobOutcome.Completed;
        }

        connection ??= await connections.GetAsync(job.ConnectionId, cancellationToken);
        if (connection is null || connection.DeletedAt is not null)
        {
            await cancellation.CancelAsync(job.RunId, RunCancellation.ConnectionDeleted, "worker", cancellationToken);
            await message.CompleteAsync(cancellationToken);
            return JobOutcome.Completed;
        }

        var leaseDuration = syncOptions.Value.LeaseDuration;
        var slot = await slots.TryTakeAsync(job.OrganizationId, schedulerOptions.Value.OrganizationConcurrency, owner, leaseDuration, cancellationToken);
        if (slot is null)
        {
            await message.DeferAsync(options.BusyRetryDelay, cancellationToken);
            LogOrganizationBusy(job.RunId, job.OrganizationId);
            return JobOutcome.Deferred;
        }

        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewals = KeepAliveAsync(message, slot, keepAlive.Token);
        SyncOutcome outcome;
        try
        {
            outcome = await syncer.RunAsync(new SyncRequest(job.ConnectionId, run.Mode, run.EntityTypes, run.Trigger, run.RunId, owner), cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            // Storage stayed away past Sync:StorageOutageWait: the run is as last checkpointed; a fresh copy of the job
            // resumes it once storage answers (if storage cannot take the copy either, the message reappears after its
            // visibility timeout).
            await HandOverAsync(message, job.RunId, StorageRetryDelay);
            return JobOutcome.HandedOver;
        }
        finally
        {
            await keepAlive.CancelAsync();
            slot = await renewals;
            await slots.ReleaseAsync(slot, CancellationToken.None);
        }

        switch (outcome.Kind)
        {
            case SyncOutcomeKind.ConnectionNotFound:
                await cancellation.CancelAsync(job.RunId, RunCancellation.ConnectionDeleted, "worker", CancellationToken.None);
                await message.CompleteAsync(CancellationToken.None);
                return JobOutcome.Completed;
            case SyncOutcomeKind.Finished:
            case SyncOutcomeKind.Paused:
                // Paused: resuming dispatches a new job.
                await message.CompleteAsync(CancellationToken.None);
                return JobOutcome.Completed;
            case SyncOutcomeKind.LeaseHeld:
                // Someone holds the connection: a live runner (it will finish the run) or a dead one (its lease expires).
                var lease = await state.GetLeaseAsync(job.ConnectionId, CancellationToken.None);
                var wait = lease is null ? TimeSpan.FromSeconds(1) : lease.ExpiresAt - time.GetUtcNow() + TimeSpan.FromSeconds(1);
                await message.DeferAsync(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait, CancellationToken.None);
                return JobOutcome.Deferred;
            case SyncOutcomeKind.StorageInterrupted:
                // Not the job's fault: a fresh copy (its dequeue count starts again) resumes the run at once.
                await HandOverAsync(message, job.RunId);
                return JobOutcome.HandedOver;
            case SyncOutcomeKind.Interrupted:
                // Shutting down: make the job visible now so another replica resumes the run.
                await message.AbandonAsync(TimeSpan.Zero, CancellationToken.None);
                return JobOutcome.HandedOver;
            default:
                // LeaseLost: another runner took the run over; the message (or its copy) is theirs now.
                return JobOutcome.HandedOver;
        }
    }

    private async Task HandOverAsync(IJobMessage message, string runId, TimeSpan delay = default)
    {
        try
        {
            await message.DeferAsync(delay, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDeferFailed(ex, runId);
        }
    }

    private async Task<SlotLease> KeepAliveAsync(IJobMessage message, SlotLease slot, CancellationToken cancellationToken)
    {
        var visibility = workerOptions.Value.VisibilityTimeout;
        var leaseDuration = syncOptions.Value.LeaseDuration;
        var every = TimeSpan.FromTicks(Math.Min(visibility.Ticks, leaseDuration.Ticks) / 3);
        while (true)
        {
            try
            {
                await Task.Delay(every, time, cancellationToken);
                await message.ExtendAsync(visibility, cancellationToken);
                slot = await slots.RenewAsync(slot, leaseDuration, cancellationToken) ?? slot;
            }
            catch (OperationCanceledException)
            {
                return slot;
            }
            catch (Exception ex)
            {
                // Storage away for a while: keep trying, the run itself waits for it too. Once the message's
                // visibility lapses another worker may receive it; it finds the connection leased and defers.
                LogKeepAliveFailed(ex, message.Job?.RunId);
            }
        }
    }

    /// <summary>How long a job waits after storage became unreachable under it.</summary>
    private static readonly TimeSpan StorageRetryDelay = TimeSpan.FromSeconds(15);

    [LoggerMessage(2005, LogLevel.Warning, "Run {RunId}: storage unreachable and the job could not be re-queued; it reappears after its visibility timeout")]
    private partial void LogDeferFailed(Exception exception, string runId);

    [LoggerMessage(2001, LogLevel.Warning, "Run {RunId}: job moved to the poison queue after {Count} attempts")]
    private partial void LogPoisoned(string runId, int count);

    [LoggerMessage(2002, LogLevel.Debug, "Run {RunId}: organization {OrganizationId} is at its concurrency cap; deferred")]
    private partial void LogOrganizationBusy(string runId, string organizationId);

    [LoggerMessage(2004, LogLevel.Information, "Run {RunId}: scheduled job dropped at start: {Reason}")]
    private partial void LogPlannedJobDropped(string runId, string? reason);

    [LoggerMessage(2003, LogLevel.Warning, "Run {RunId}: could not keep the job message or the organization slot alive")]
    private partial void LogKeepAliveFailed(Exception exception, string? runId);
}

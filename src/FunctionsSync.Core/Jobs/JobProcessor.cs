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
    ISyncStateStore state,
    IOrganizationSlots slots,
    RunStep step,
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

        var (run, done) = await step.PrepareAsync(job.RunId, job.ConnectionId, job.PlannedAt is null ? null : job, "worker", checkConnection: true, cancellationToken);
        if (run is null)
        {
            if (done!.Dropped)
            {
                LogPlannedJobDropped(job.RunId, done.Message);
            }

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
        RunStepResult result;
        try
        {
            result = await step.SyncAsync(run, owner, "worker", int.MaxValue, null, cancellationToken);
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

        switch (result.Kind)
        {
            case RunStepKind.Done:
            case RunStepKind.Paused:
                // Paused: resuming dispatches a new job.
                await message.CompleteAsync(CancellationToken.None);
                return JobOutcome.Completed;
            case RunStepKind.Busy:
                await message.DeferAsync(result.RetryAfter!.Value, CancellationToken.None);
                return JobOutcome.Deferred;
            case RunStepKind.More when result.StorageInterrupted:
                // Not the job's fault: a fresh copy (its dequeue count starts again) resumes the run at once.
                await HandOverAsync(message, job.RunId);
                return JobOutcome.HandedOver;
            case RunStepKind.More:
                // A whole run stops early only when shutting down: make the job visible now so another replica resumes the run.
                await message.AbandonAsync(TimeSpan.Zero, CancellationToken.None);
                return JobOutcome.HandedOver;
            default:
                // Taken over: the message (or its copy) is the new runner's now.
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

    [LoggerMessage(2004, LogLevel.Information, "Run {RunId}: {Reason}")]
    private partial void LogPlannedJobDropped(string runId, string? reason);

    [LoggerMessage(2003, LogLevel.Warning, "Run {RunId}: could not keep the job message or the organization slot alive")]
    private partial void LogKeepAliveFailed(Exception exception, string? runId);
}

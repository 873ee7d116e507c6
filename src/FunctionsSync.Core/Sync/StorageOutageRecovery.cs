using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// After storage went away under a run: probes it (the lease, then the run: two point reads) with back-off until it
/// answers, then ends the attempt as <see cref="RunStatus.Interrupted"/> at its last checkpoint and frees the lease.
/// </summary>
public sealed class StorageOutageRecovery(ISyncStateStore state, IOptions<SyncOptions> options, TimeProvider time, ILogger<ConnectionSyncer> logger)
{
    private static readonly TimeSpan MaxProbeDelay = TimeSpan.FromSeconds(10);

    private DateTimeOffset Now => time.GetUtcNow();

    /// <returns>How the attempt ended; null when storage stays away past <see cref="SyncOptions.StorageOutageWait"/> or the caller stops.</returns>
    public async Task<SyncOutcome?> InterruptWhenStorageAnswersAsync(string connectionId, string owner, SyncRun run, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var giveUpAt = Now + o.StorageOutageWait;
        var delay = TimeSpan.FromSeconds(1);
        while (Now < giveUpAt && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, cancellationToken);
                // The same owner renews its own lease whatever the version it last saw (a checkpoint may have landed
                // without its answer reaching us).
                var again = await state.TryAcquireLeaseAsync(connectionId, SyncLanes.Of(run.Mode), owner, o.LeaseDuration, cancellationToken);
                if (again.Lease is not { } lease)
                {
                    logger.LeaseLost(run.RunId, connectionId);
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
                logger.RunInterrupted(run.RunId, interrupted.PageSeq);
                return new(SyncOutcomeKind.StorageInterrupted, interrupted, "Storage was unreachable; the run resumes from its last checkpoint.");
            }
            catch (StorageUnavailableException)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxProbeDelay.Ticks));
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
}

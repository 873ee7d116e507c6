using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// The app's own sync state store, except that checkpoint number <see cref="FailAt"/> throws what the storage layer
/// throws when storage is unreachable (once), after which everything goes through.
/// </summary>
public sealed class FaultyCheckpoints(ISyncStateStore inner, int failAt) : ISyncStateStore
{
    private int checkpoints;

    public int FailAt => failAt;

    public int Injected { get; private set; }

    /// <summary>Wraps whatever the app registered as its <see cref="ISyncStateStore"/>.</summary>
    public static void Decorate(IServiceCollection services, int failAt)
    {
        var original = services.Last(d => d.ServiceType == typeof(ISyncStateStore));
        services.Remove(original);
        services.AddSingleton(sp => new FaultyCheckpoints((ISyncStateStore)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!), failAt));
        services.AddSingleton<ISyncStateStore>(sp => sp.GetRequiredService<FaultyCheckpoints>());
    }

    public Task<SyncLease> CheckpointAsync(SyncLease lease, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref checkpoints) == failAt)
        {
            Injected++;
            throw new StorageUnavailableException("Injected: storage unreachable during a checkpoint.");
        }

        return inner.CheckpointAsync(lease, checkpoint, cancellationToken);
    }

    public Task<LeaseAttempt> TryAcquireLeaseAsync(string connectionId, SyncLane lane, string owner, TimeSpan duration, CancellationToken cancellationToken) => inner.TryAcquireLeaseAsync(connectionId, lane, owner, duration, cancellationToken);

    public Task<SyncLease?> GetLeaseAsync(string connectionId, SyncLane lane, CancellationToken cancellationToken) => inner.GetLeaseAsync(connectionId, lane, cancellationToken);

    public Task<CursorReset> ResetCursorsAsync(string connectionId, IReadOnlyList<EntityType> types, CancellationToken cancellationToken) => inner.ResetCursorsAsync(connectionId, types, cancellationToken);

    public Task<IReadOnlyDictionary<EntityType, EntityCursor>> GetCursorsAsync(string connectionId, SyncLane lane, CancellationToken cancellationToken) => inner.GetCursorsAsync(connectionId, lane, cancellationToken);

    public Task<SyncRun?> GetRunAsync(string runId, CancellationToken cancellationToken) => inner.GetRunAsync(runId, cancellationToken);

    public Task<QueueRunResult> TryQueueRunAsync(SyncRun run, ConnectionSyncState? known, DateTimeOffset? unlessSyncedSince, CancellationToken cancellationToken) => inner.TryQueueRunAsync(run, known, unlessSyncedSince, cancellationToken);

    public Task<bool> FailUnheldRunAsync(string runId, string reason, DateTimeOffset now, CancellationToken cancellationToken) => inner.FailUnheldRunAsync(runId, reason, now, cancellationToken);

    public Task<SyncRun?> ChangeUnheldRunAsync(string runId, Func<SyncRun, SyncRun?> change, DateTimeOffset now, CancellationToken cancellationToken) => inner.ChangeUnheldRunAsync(runId, change, now, cancellationToken);

    public Task<RunControl?> GetControlAsync(string runId, CancellationToken cancellationToken) => inner.GetControlAsync(runId, cancellationToken);

    public Task SetControlAsync(string runId, RunControl? control, CancellationToken cancellationToken) => inner.SetControlAsync(runId, control, cancellationToken);

    public Task SetPhaseAsync(string runId, string phase, CancellationToken cancellationToken) => inner.SetPhaseAsync(runId, phase, cancellationToken);

    public Task<IReadOnlyDictionary<string, ConnectionSyncState>> ListConnectionStatesAsync(CancellationToken cancellationToken) => inner.ListConnectionStatesAsync(cancellationToken);

    public Task<ConnectionSyncState?> GetConnectionStateAsync(string connectionId, CancellationToken cancellationToken) => inner.GetConnectionStateAsync(connectionId, cancellationToken);

    public Task<IReadOnlyList<SyncRun>> ListRunsAsync(string connectionId, int take, CancellationToken cancellationToken) => inner.ListRunsAsync(connectionId, take, cancellationToken);

    public Task<RunPage> ListRunsPageAsync(string connectionId, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        inner.ListRunsPageAsync(connectionId, pageSize, continuationToken, cancellationToken);

    public Task<RunPage> ListEndedRunsAsync(string? organizationId, RunStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        inner.ListEndedRunsAsync(organizationId, status, pageSize, continuationToken, cancellationToken);
}

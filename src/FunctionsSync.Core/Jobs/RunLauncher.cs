using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Jobs;

/// <summary>Creates a queued run for a connection (unless one is in flight) and dispatches it.</summary>
public sealed class RunLauncher(ISyncStateStore state, IRunDispatcher dispatcher, TimeProvider time)
{
    /// <summary>Queues the run and hands it to the dispatcher.</summary>
    public async Task<LaunchResult> LaunchAsync(
        Connection connection, SyncMode mode, IReadOnlyList<EntityType>? entityTypes, RunTrigger trigger, string? cycleId, TimeSpan delay, CancellationToken cancellationToken)
    {
        var result = await QueueAsync(connection, mode, entityTypes, trigger, cancellationToken);
        if (result.Run is { } run)
        {
            await dispatcher.DispatchAsync(JobFor(run, cycleId), delay, cancellationToken);
        }

        return result;
    }

    public static SyncJob JobFor(SyncRun run, string? cycleId) =>
        new(run.RunId, run.ConnectionId, run.OrganizationId, run.Mode, run.EntityTypes, run.Trigger, cycleId);

    /// <summary>
    /// Records a queued run as the connection's active run, without dispatching it (an orchestrator starts it itself).
    /// </summary>
    /// <param name="known">The connection's sync state as just listed (saves a read), or null.</param>
    public async Task<LaunchResult> QueueAsync(
        Connection connection, SyncMode mode, IReadOnlyList<EntityType>? entityTypes, RunTrigger trigger, CancellationToken cancellationToken, ConnectionSyncState? known = null)
    {
        var now = time.GetUtcNow();
        var types = EntityTypes.InRunOrder(entityTypes is { Count: > 0 } ? entityTypes : EntityTypes.All);
        var run = new SyncRun
        {
            RunId = RunIds.New(connection.Id, now),
            ConnectionId = connection.Id,
            OrganizationId = connection.OrganizationId,
            Marketplace = connection.Marketplace,
            Mode = mode,
            Trigger = trigger,
            EntityTypes = types,
            // Entity states are settled by the runner, which knows what the marketplace supports.
            Entities = [.. types.Select(t => new EntityProgress(t, EntityRunState.Pending, RunCounters.Zero))],
            Status = RunStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var queued = await state.TryQueueRunAsync(run, known, cancellationToken);
        return queued.Queued ? new LaunchResult(run, null) : new LaunchResult(null, queued.ActiveRunId);
    }
}

using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Jobs;

/// <summary>Creates a queued run for a connection (unless one is in flight) and dispatches it.</summary>
public sealed class RunLauncher(ISyncStateStore state, IRunDispatcher dispatcher, TimeProvider time)
{
    public async Task<LaunchResult> LaunchAsync(
        Connection connection, SyncMode mode, IReadOnlyList<EntityType>? entityTypes, RunTrigger trigger, string? cycleId, TimeSpan delay, CancellationToken cancellationToken)
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
        var queued = await state.TryQueueRunAsync(run, cancellationToken);
        if (!queued.Queued)
        {
            return new LaunchResult(null, queued.ActiveRunId);
        }

        await dispatcher.DispatchAsync(new SyncJob(run.RunId, connection.Id, connection.OrganizationId, mode, types, trigger, cycleId), delay, cancellationToken);
        return new LaunchResult(run, null);
    }
}

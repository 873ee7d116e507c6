using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Jobs;

/// <summary>
/// Records runs as their connection's active run (a connection never has two in flight) and dispatches them. Runs
/// asked for by a person are recorded at once (<see cref="QueueAsync"/>); a scheduled cycle's runs are recorded when
/// they start (<see cref="PlanJob"/>, <see cref="StartPlannedAsync"/>), which keeps a cycle of thousands of
/// connections to one queue message each.
/// </summary>
public sealed class RunLauncher(ISyncStateStore state, IRunDispatcher dispatcher, Events.LiveEvents events, TimeProvider time)
{
    /// <summary>Queues the run and hands it to the dispatcher.</summary>
    /// <param name="window">A backfill's range (with <see cref="SyncMode.Backfill"/>).</param>
    /// <param name="targets">A notified run's feeds with the records named (<see cref="SyncRun.Targets"/>).</param>
    public async Task<LaunchResult> LaunchAsync(
        Connection connection, SyncMode mode, IReadOnlyList<EntityType>? entityTypes, RunTrigger trigger, string? cycleId, TimeSpan delay, CancellationToken cancellationToken,
        BackfillWindow? window = null, IReadOnlyList<RunTarget>? targets = null)
    {
        var result = await QueueAsync(connection, mode, entityTypes, trigger, cancellationToken, window: window, targets: targets);
        if (result.Run is { } run)
        {
            await dispatcher.DispatchAsync(JobFor(run, cycleId), delay, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Queues and dispatches an incremental run of notified <paramref name="feeds"/>: a feed with named records reads
    /// just those (<see cref="SyncRun.Targets"/>), the rest read from their marks.
    /// </summary>
    public Task<LaunchResult> LaunchNotifiedAsync(Connection connection, IReadOnlyList<RunTarget> feeds, TimeSpan delay, CancellationToken cancellationToken) =>
        LaunchAsync(connection, SyncMode.Incremental, [.. feeds.Select(f => f.EntityType)], RunTrigger.Notification, null, delay, cancellationToken, targets: feeds);

    /// <summary>
    /// Queues a backfill of <paramref name="window"/> on the connection's backfill lane and dispatches it; refused (with
    /// the run in flight there) while another backfill of the connection is.
    /// </summary>
    public Task<LaunchResult> LaunchBackfillAsync(Connection connection, IReadOnlyList<EntityType> entityTypes, BackfillWindow window, CancellationToken cancellationToken) =>
        LaunchAsync(connection, SyncMode.Backfill, entityTypes, RunTrigger.Manual, null, TimeSpan.Zero, cancellationToken, window);

    public static SyncJob JobFor(SyncRun run, string? cycleId) =>
        new(run.RunId, run.ConnectionId, run.OrganizationId, run.Mode, run.EntityTypes, run.Trigger, cycleId);

    /// <summary>
    /// Records a queued run as the connection's active run, without dispatching it (an orchestrator starts it itself).
    /// </summary>
    /// <param name="known">The connection's sync state as just listed (saves a read), or null.</param>
    public async Task<LaunchResult> QueueAsync(
        Connection connection, SyncMode mode, IReadOnlyList<EntityType>? entityTypes, RunTrigger trigger, CancellationToken cancellationToken, ConnectionSyncState? known = null,
        BackfillWindow? window = null, IReadOnlyList<RunTarget>? targets = null)
    {
        var now = time.GetUtcNow();
        var named = targets?.Where(t => t.Ids is { Count: > 0 }).ToList();
        var run = NewRun(RunIds.New(connection.Id, now), connection, mode, entityTypes, trigger, now) with { Window = window, Targets = named is { Count: > 0 } ? named : null };
        var queued = await state.TryQueueRunAsync(run, known, null, cancellationToken);
        if (!queued.Queued)
        {
            return new LaunchResult(null, queued.ActiveRunId);
        }

        events.Run(Events.LiveEventTypes.RunQueued, run);
        return new LaunchResult(run, null);
    }

    /// <summary>A scheduled cycle's job for <paramref name="connection"/>: its run id is fixed now, its run recorded at start.</summary>
    public static SyncJob PlanJob(Connection connection, SyncMode mode, RunTrigger trigger, string cycleId, DateTimeOffset plannedAt) =>
        new(RunIds.New(connection.Id, plannedAt), connection.Id, connection.OrganizationId, mode, EntityTypes.InRunOrder(EntityTypes.All), trigger, cycleId, plannedAt);

    /// <summary>
    /// Records a planned job's run as the connection's active run, as it starts. The job is dropped (nothing recorded)
    /// when the cycle would not plan it now: the connection is gone, disabled or waiting for credentials, a run is in
    /// flight, or a run finished after the job was planned (a slow queue let the next cycle plan it again, or a person
    /// synced it meanwhile).
    /// </summary>
    public async Task<PlannedStart> StartPlannedAsync(SyncJob job, Connection? connection, CancellationToken cancellationToken)
    {
        var plannedAt = job.PlannedAt ?? throw new ArgumentException("Only a planned job (with PlannedAt) is started this way.", nameof(job));
        if (connection is null || connection.DeletedAt is not null)
        {
            return PlannedStart.Dropped("the connection was deleted");
        }

        if (!connection.Enabled || connection.Health == ConnectionHealth.NeedsAttention)
        {
            return PlannedStart.Dropped(connection.Enabled ? "the connection needs attention" : "the connection is disabled");
        }

        var run = NewRun(job.RunId, connection, job.Mode, job.EntityTypes, job.Trigger, plannedAt) with { UpdatedAt = time.GetUtcNow() };
        var queued = await state.TryQueueRunAsync(run, null, plannedAt, cancellationToken);
        return queued switch
        {
            { Queued: true } => PlannedStart.Started(run),
            // A duplicate delivery of this job recorded it a moment ago: carry on like any copy of a queued run's job.
            { ActiveRunId: { } active } when active == job.RunId => PlannedStart.Started(await state.GetRunAsync(active, cancellationToken) ?? run),
            { ActiveRunId: { } active } => PlannedStart.Dropped($"run {active} is in flight"),
            _ => PlannedStart.Dropped($"run {queued.SyncedByRunId} synced the connection after the job was planned"),
        };
    }

    private static SyncRun NewRun(
        string runId, Connection connection, SyncMode mode, IReadOnlyList<EntityType>? entityTypes, RunTrigger trigger, DateTimeOffset createdAt)
    {
        var types = EntityTypes.InRunOrder(entityTypes is { Count: > 0 } ? entityTypes : EntityTypes.All);
        return new SyncRun
        {
            RunId = runId,
            ConnectionId = connection.Id,
            OrganizationId = connection.OrganizationId,
            Marketplace = connection.Marketplace,
            Mode = mode,
            Trigger = trigger,
            EntityTypes = types,
            // Entity states are settled by the runner, which knows what the marketplace supports.
            Entities = [.. types.Select(t => new EntityProgress(t, EntityRunState.Pending, RunCounters.Zero))],
            Status = RunStatus.Queued,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
        };
    }
}

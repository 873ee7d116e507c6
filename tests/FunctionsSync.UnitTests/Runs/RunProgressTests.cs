using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.UnitTests.Runs;

public sealed class RunProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static SyncRun Run(params EntityProgress[] entities) => new()
    {
        RunId = "r1", ConnectionId = "c1", OrganizationId = "o", Marketplace = "shopify", Mode = SyncMode.Full, Trigger = RunTrigger.Manual,
        EntityTypes = [.. entities.Select(e => e.EntityType)], Entities = entities, Status = RunStatus.Running, UpdatedAt = T0,
    };

    private static EntityProgress E(EntityType type, EntityRunState state, long done, long? total) =>
        new(type, state, new RunCounters { Created = done, ReportedTotal = total });

    /// <summary>A checkpoint stores the run settled; the next view starts from it.</summary>
    private static SyncRun Checkpointed(SyncRun run) => new Checkpoint(run, [], T0, Release: false, run.RunId).Run;

    [Fact]
    public void The_next_entity_types_start_does_not_take_the_percent_back()
    {
        // Orders done (100 of 100), products not started: estimated like orders, so half way.
        var ordersDone = Checkpointed(Run(E(EntityType.Orders, EntityRunState.Done, 100, 100), E(EntityType.Products, EntityRunState.Pending, 0, null)));
        Assert.Equal(50, RunProgress.PercentOf(ordersDone));

        // Products start and report 1,000: the weighted figure is 9.1, the run still reads what it showed.
        var productsStarted = ordersDone with { Entities = [ordersDone.Entities[0], E(EntityType.Products, EntityRunState.Running, 0, 1_000)] };
        Assert.Equal(50, RunProgress.PercentOf(productsStarted));

        // And climbs again once the work passes that point.
        var later = Checkpointed(productsStarted with { Entities = [ordersDone.Entities[0], E(EntityType.Products, EntityRunState.Running, 900, 1_000)] });
        Assert.Equal(90.9, RunProgress.PercentOf(later));
    }

    [Fact]
    public void Every_record_seen_reads_99_9_until_the_run_succeeds_and_a_failed_run_never_reads_100()
    {
        var allSeen = Checkpointed(Run(E(EntityType.Orders, EntityRunState.Done, 100, 100)));
        Assert.Equal(RunProgress.Unfinished, RunProgress.PercentOf(allSeen));
        Assert.Equal(100, RunProgress.PercentOf(allSeen with { Status = RunStatus.Succeeded }));
        Assert.Equal(100, RunProgress.PercentOf(allSeen with { Status = RunStatus.Partial }));
        Assert.Equal(RunProgress.Unfinished, RunProgress.PercentOf(allSeen with { Status = RunStatus.Failed }));
        Assert.Equal(0, RunProgress.PercentOf(Run(E(EntityType.Orders, EntityRunState.Pending, 0, null))));
    }

    [Fact]
    public void Unsupported_entity_types_weigh_nothing()
    {
        var run = Run(E(EntityType.Orders, EntityRunState.Running, 50, 100), new EntityProgress(EntityType.Products, EntityRunState.Unsupported, RunCounters.Zero));
        Assert.Equal(50, RunProgress.PercentOf(run));
    }

    [Fact]
    public void Duration_counts_running_stretches_only_not_pauses_nor_a_dead_runners_silence()
    {
        var queued = Run(E(EntityType.Orders, EntityRunState.Pending, 0, null)) with { Status = RunStatus.Queued, UpdatedAt = T0 };

        // Runs 10 s, is paused for an hour.
        var running = RunProgress.StartedRunning(queued, T0);
        Assert.Equal(4_000, RunProgress.ActiveMs(running, T0.AddSeconds(4)));
        var paused = Checkpointed(running with { Status = RunStatus.Paused, UpdatedAt = T0.AddSeconds(10) });
        Assert.Null(paused.RunningSince);
        Assert.Equal(10_000, RunProgress.ActiveMs(paused, T0.AddHours(1)));

        // Resumed, checkpoints 5 s in, then its runner dies; another takes over 2 minutes later and runs 3 s more.
        var resumed = RunProgress.StartedRunning(paused, T0.AddHours(1));
        var lastCheckpoint = Checkpointed(resumed with { UpdatedAt = T0.AddHours(1).AddSeconds(5) });
        var takenOver = RunProgress.StartedRunning(lastCheckpoint, T0.AddHours(1).AddMinutes(2));
        Assert.Equal(15_000, takenOver.ActiveMs);
        var done = Checkpointed(takenOver with { Status = RunStatus.Succeeded, UpdatedAt = T0.AddHours(1).AddMinutes(2).AddSeconds(3) });
        Assert.Equal(18_000, RunProgress.ActiveMs(done, T0.AddDays(1)));
        Assert.Equal(T0, done.StartedAt);
    }
}

using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// A scheduled cycle only enqueues; each run is recorded when its job starts, and a job the cycle would no longer plan
/// (a run in flight, or the connection synced after planning) is dropped then. Over Azurite's queue and the simulator.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ScheduledCycleTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task Scheduled_runs_are_recorded_at_start_and_jobs_overtaken_by_a_manual_run_or_a_later_cycle_are_dropped()
    {
        await using var harness = new SyncHarness(storage, simulator, "schedstart");
        var stores = new List<(Core.Connections.Connection Connection, SimStore Store)>();
        foreach (var (marketplace, index) in new[] { "shopify", "woocommerce", "etsy", "amazon" }.Select((m, i) => (m, i)))
        {
            stores.Add(await harness.AddStoreAsync(marketplace, $"sched-{index}", new SimStoreConfig { Orders = 60, Products = 20, Customers = 10, Seed = index + 7 }));
        }

        var planner = harness.Services.GetRequiredService<CyclePlanner>();
        var first = await planner.RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);

        // Planned and enqueued, nothing recorded yet: no run rows, no active runs.
        Assert.Equal(4, first.Queued);
        foreach (var runId in first.RunIds)
        {
            Assert.Null(await harness.State.GetRunAsync(runId, CancellationToken.None));
        }

        foreach (var (connection, _) in stores)
        {
            Assert.Null((await harness.State.GetConnectionStateAsync(connection.Id, CancellationToken.None))?.ActiveRunId);
        }

        // A person syncs the first connection before its scheduled job starts; a second cycle comes before any job ran.
        var manual = await harness.Services.GetRequiredService<RunLauncher>()
            .LaunchAsync(stores[0].Connection, SyncMode.Incremental, null, RunTrigger.Manual, null, TimeSpan.Zero, CancellationToken.None);
        var second = await planner.RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(3, second.Queued);
        Assert.Equal(1, second.SkippedActive);

        var outcomes = await DrainAsync(harness);

        // 4 + 1 + 3 jobs: the first connection's scheduled job met the manual run in flight, the second cycle's jobs met
        // runs that finished after they were planned. Each connection synced exactly once.
        Assert.Equal(8, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(JobOutcome.Completed, o));
        Assert.Null(await harness.Services.GetRequiredService<IJobQueue>().ReceiveAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        foreach (var (connection, store) in stores)
        {
            var run = Assert.Single(await harness.State.ListRunsAsync(connection.Id, 10, CancellationToken.None));
            Assert.Equal(RunStatus.Succeeded, run.Status);
            if (connection.Id == stores[0].Connection.Id)
            {
                Assert.Equal((manual.Run!.RunId, RunTrigger.Manual), (run.RunId, run.Trigger));
            }
            else
            {
                Assert.Contains(run.RunId, first.RunIds);
                Assert.Equal(RunTrigger.Schedule, run.Trigger);
                Assert.Equal(first.StartedAt, run.CreatedAt);
            }

            Assert.Null((await harness.State.GetConnectionStateAsync(connection.Id, CancellationToken.None))!.ActiveRunId);
            var snapshot = await harness.SnapshotAsync(connection.Id);
            foreach (var type in EntityTypes.All)
            {
                Expected.Matches(Expected.For(store, type), snapshot[type], $"{store.StoreId} {type.ToWire()}");
            }
        }
    }

    /// <summary>
    /// Jobs go out in plan order (each delayed by its place in the spread), so a cycle plans them one organization after
    /// another: registered organization by organization, three organizations' connections would otherwise come three
    /// at a time from one organization and wait for its slots (Scheduler:OrganizationConcurrency) instead of running.
    /// </summary>
    [Fact]
    public async Task A_cycle_plans_its_jobs_one_organization_after_another()
    {
        await using var harness = new SyncHarness(storage, simulator, "schedorgs");
        var organizationOf = new Dictionary<string, string>();
        foreach (var organization in new[] { "org-a", "org-b", "org-c" })
        {
            for (var i = 0; i < 3; i++)
            {
                var (connection, _) = await harness.AddStoreAsync("shopify", $"sched-{organization}-{i}", new SimStoreConfig { Orders = 0, Products = 0, Customers = 0 }, organization);
                organizationOf[connection.Id] = organization;
            }
        }

        var plan = await harness.Services.GetRequiredService<CyclePlanner>().PlanAsync(CycleKind.Scheduled, null, CancellationToken.None);

        var order = plan.Queued.Select(j => j.OrganizationId).ToList();
        Assert.Equal(9, order.Count);
        Assert.All(plan.Queued, j => Assert.Equal(organizationOf[j.ConnectionId], j.OrganizationId));
        // Every run of three consecutive jobs names three organizations.
        for (var i = 0; i + 3 <= order.Count; i++)
        {
            Assert.Equal(3, order.Skip(i).Take(3).Distinct().Count());
        }
    }

    [Fact]
    public async Task A_job_lost_before_it_started_leaves_its_connection_due_for_the_next_cycle()
    {
        await using var harness = new SyncHarness(storage, simulator, "schedlost");
        var (connection, store) = await harness.AddStoreAsync("shopify", "sched-lost", new SimStoreConfig { Orders = 30, Products = 10, Customers = 5 });
        var planner = harness.Services.GetRequiredService<CyclePlanner>();
        var queue = harness.Services.GetRequiredService<IJobQueue>();

        var lost = await planner.RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);
        var message = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(lost.RunIds[0], message!.Job!.RunId);
        await message.CompleteAsync(CancellationToken.None);

        // Nothing was recorded, so nothing blocks the connection: the next cycle plans it again and it syncs.
        var next = await planner.RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(1, next.Queued);
        Assert.Equal(new[] { JobOutcome.Completed }, await DrainAsync(harness));
        var run = Assert.Single(await harness.State.ListRunsAsync(connection.Id, 10, CancellationToken.None));
        Assert.Equal((next.RunIds[0], RunStatus.Succeeded), (run.RunId, run.Status));
        Assert.Equal(store.Config.Orders, (await harness.SnapshotAsync(connection.Id))[EntityType.Orders].Count);
    }

    [Fact]
    public async Task A_scheduled_cycle_through_the_orchestrations_records_each_run_at_its_first_page()
    {
        await using var harness = new SyncHarness(storage, simulator, "schedorch", new Dictionary<string, string?> { ["Sync:PageSize"] = "50" });
        var (busy, _) = await harness.AddStoreAsync("woocommerce", "sched-orch-0", new SimStoreConfig { Orders = 120, Products = 30, Customers = 10 });
        var (free, freeStore) = await harness.AddStoreAsync("etsy", "sched-orch-1", new SimStoreConfig { Orders = 120, Products = 30, Customers = 10 });
        var activities = harness.Services.GetRequiredService<SyncActivities>();

        var plan = await activities.PlanCycleAsync(new CycleInput(CycleKind.Scheduled, null), CancellationToken.None);
        Assert.Equal(2, plan.Runs.Count);
        Assert.All(plan.Runs, r => Assert.Equal(r.RunId, r.Planned!.RunId));

        // The first connection gets a manual run before the cycle's sub-orchestrations start: its scheduled job is dropped.
        var manual = await harness.Services.GetRequiredService<RunLauncher>().QueueAsync(busy, SyncMode.Incremental, null, RunTrigger.Manual, CancellationToken.None);
        var results = new Dictionary<string, PageResult>();
        foreach (var run in plan.Runs)
        {
            var context = new LocalOrchestrationCalls(activities, run.InstanceId, TimeProvider.System, CancellationToken.None);
            results[run.ConnectionId] = await LocalOrchestrationCalls.RunConnectionSyncAsync(context, activities.InputFor(run.RunId, run.ConnectionId) with { Planned = run.Planned });
        }

        Assert.Equal(PageResultKind.Done, results[busy.Id].Kind);
        Assert.Null(results[busy.Id].Status);
        Assert.Contains($"run {manual.Run!.RunId} is in flight", results[busy.Id].Message);
        Assert.Null(await harness.State.GetRunAsync(plan.Runs.Single(r => r.ConnectionId == busy.Id).RunId, CancellationToken.None));
        Assert.Equal(RunStatus.Queued, (await harness.State.GetRunAsync(manual.Run.RunId, CancellationToken.None))!.Status);
        Assert.Equal(manual.Run.RunId, (await harness.State.GetConnectionStateAsync(busy.Id, CancellationToken.None))!.ActiveRunId);

        var freeRunId = plan.Runs.Single(r => r.ConnectionId == free.Id).RunId;
        Assert.Equal(RunStatus.Succeeded, results[free.Id].Status);
        var recorded = await harness.State.GetRunAsync(freeRunId, CancellationToken.None);
        Assert.Equal((RunStatus.Succeeded, RunTrigger.Schedule, 1), (recorded!.Status, recorded.Trigger, recorded.Attempts));
        Assert.Equal(freeStore.Config.Orders, (await harness.SnapshotAsync(free.Id))[EntityType.Orders].Count);
    }

    /// <summary>Processes the job queue with one worker until it is empty.</summary>
    private static async Task<List<JobOutcome>> DrainAsync(SyncHarness harness)
    {
        var queue = harness.Services.GetRequiredService<IJobQueue>();
        var processor = harness.Services.GetRequiredService<JobProcessor>();
        var outcomes = new List<JobOutcome>();
        while (await queue.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None) is { } message)
        {
            outcomes.Add(await processor.ProcessAsync(message, "test-worker", CancellationToken.None));
            Assert.True(outcomes.Count < 50, "the queue does not drain");
        }

        return outcomes;
    }
}

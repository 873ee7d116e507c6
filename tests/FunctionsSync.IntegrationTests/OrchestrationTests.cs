using FunctionsSync.Core.Sync;
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
/// The SyncCycle and ConnectionSync sequences of the Functions app, run in-process through the same Core abstraction
/// against Azurite and the simulator: only the Durable adapter classes are left for the cloud.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class OrchestrationTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_full_cycle_syncs_every_connection_through_sub_orchestrations_and_records_the_cycle()
    {
        await using var harness = new SyncHarness(storage, simulator, "orchcycle", new Dictionary<string, string?>
        {
            ["Sync:PageSize"] = "100",
            ["Orchestration:PagesPerGeneration"] = "4",
            ["Orchestration:GlobalConcurrency"] = "3",
            ["Scheduler:OrganizationConcurrency"] = "2",
        });
        var stores = new Dictionary<string, SimStore>();
        var index = 0;
        foreach (var marketplace in new[] { "shopify", "woocommerce", "etsy", "amazon", "shopify" })
        {
            var (connection, store) = await harness.AddStoreAsync(marketplace, $"orch-{index++}-{marketplace}", new SimStoreConfig { Orders = 700, Products = 150, Customers = 60, Seed = index }, index % 2 == 0 ? "org-x" : "org-y");
            stores[connection.Id] = store;
        }

        var activities = harness.Services.GetRequiredService<SyncActivities>();
        var result = await LocalOrchestrationCalls.RunCycleAsync(activities, new CycleInput(CycleKind.Full, null), TimeProvider.System, CancellationToken.None);

        Assert.Equal(5, result.Started);
        Assert.Equal(5, result.Succeeded);
        foreach (var (connectionId, store) in stores)
        {
            var runs = await harness.State.ListRunsAsync(connectionId, 5, CancellationToken.None);
            var run = Assert.Single(runs);
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.Equal(1, run.Attempts);
            var snapshot = await harness.SnapshotAsync(connectionId);
            foreach (var type in EntityTypes.All)
            {
                Expected.Matches(Expected.For(store, type), snapshot[type], $"{store.StoreId} {type.ToWire()}");
            }
        }

        var cycle = (await harness.Services.GetRequiredService<IScheduleStore>().GetAsync(CancellationToken.None)).LastCycle!;
        Assert.Equal(result.CycleId, cycle.CycleId);
        Assert.Equal(5, cycle.Queued);
    }

    [Fact]
    public async Task Connection_sync_with_one_page_slices_steps_one_page_per_activity_continues_as_new_and_waits_out_a_busy_connection()
    {
        await using var harness = new SyncHarness(storage, simulator, "orchconn", new Dictionary<string, string?> { ["Sync:PageSize"] = "100", ["Orchestration:SlicePages"] = "1" });
        var (connection, store) = await harness.AddStoreAsync("woocommerce", "orch-conn", new SimStoreConfig { Orders = 950, Products = 120, Customers = 40 });
        var launched = await harness.Services.GetRequiredService<RunLauncher>().QueueAsync(connection, SyncMode.Full, null, RunTrigger.Manual, CancellationToken.None);
        var activities = harness.Services.GetRequiredService<SyncActivities>();

        // Someone else holds the connection for two seconds: the orchestration waits (durable timer) and carries on.
        var ghost = await harness.State.TryAcquireLeaseAsync(connection.Id, SyncLane.Main, "ghost", TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.True(ghost.Acquired);

        var context = new LocalOrchestrationCalls(activities, SyncActivities.InstanceIdFor(launched.Run!.RunId), TimeProvider.System, CancellationToken.None);
        var result = await LocalOrchestrationCalls.RunConnectionSyncAsync(context, activities.InputFor(launched.Run) with { PagesPerGeneration = 5 });

        Assert.Equal(PageResultKind.Done, result.Kind);
        Assert.Equal(RunStatus.Succeeded, result.Status);
        // 10 order pages + 1 customer + 2 product + 2 price pages, one activity each, plus the busy attempts.
        var pages = context.ActivityLog.Count(a => a == OrchestrationNames.SyncPage);
        Assert.InRange(pages, 16, 22);
        Assert.True(context.Generations >= 3, $"continued as new {context.Generations} times");

        var run = await harness.State.GetRunAsync(launched.Run.RunId, CancellationToken.None);
        Assert.Equal(1, run!.Attempts);
        Assert.Equal(run.Counters.Total, run.Counters.Created);
        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"woocommerce {type.ToWire()}");
        }

        Assert.Null((await harness.State.GetLeaseAsync(connection.Id, SyncLane.Main, CancellationToken.None))!.ActiveRunId);
    }

    [Fact]
    public async Task A_slice_runs_pages_until_its_page_limit_each_checkpointed_so_an_activity_pays_for_several_pages()
    {
        await using var harness = new SyncHarness(storage, simulator, "orchslice", new Dictionary<string, string?> { ["Sync:PageSize"] = "100", ["Orchestration:SlicePages"] = "4" });
        var (connection, store) = await harness.AddStoreAsync("woocommerce", "orch-slice", new SimStoreConfig { Orders = 950, Products = 120, Customers = 40 });
        var launched = await harness.Services.GetRequiredService<RunLauncher>().QueueAsync(connection, SyncMode.Full, null, RunTrigger.Manual, CancellationToken.None);
        var activities = harness.Services.GetRequiredService<SyncActivities>();

        var context = new LocalOrchestrationCalls(activities, SyncActivities.InstanceIdFor(launched.Run!.RunId), TimeProvider.System, CancellationToken.None);
        var result = await LocalOrchestrationCalls.RunConnectionSyncAsync(context, activities.InputFor(launched.Run));

        Assert.Equal(RunStatus.Succeeded, result.Status);
        // 15 pages (10 order, 1 customer, 2 product, 2 price) in slices of at most 4.
        Assert.Equal(4, context.ActivityLog.Count(a => a == OrchestrationNames.SyncPage));
        var run = (await harness.State.GetRunAsync(launched.Run.RunId, CancellationToken.None))!;
        Assert.Equal(15, run.PageSeq);
        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"woocommerce {type.ToWire()}");
        }
    }
}

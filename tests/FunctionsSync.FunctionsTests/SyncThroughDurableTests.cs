using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Retention;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Functions.Http;
using FunctionsSync.Functions.Timer;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.FunctionsTests;

/// <summary>The three ways a sync starts in the Functions app, each through its real trigger and the Durable engine, ending with the simulator's data stored.</summary>
[Collection(FunctionsCollection.Name)]
public sealed class SyncThroughDurableTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("shopify")]
    [InlineData("woocommerce")]
    [InlineData("etsy")]
    [InlineData("amazon")]
    [InlineData("medipim")]
    [InlineData("odoo")]
    public async Task A_manual_trigger_runs_ConnectionSync_to_the_simulators_data(string marketplace)
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fmanual");
        var (connection, store) = await app.AddStoreAsync(marketplace, $"fmanual-{marketplace}", new SimStoreConfig { Orders = 700, Products = 120, Customers = 60, Seed = 31 });

        var answer = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id }, mode = "full" });

        Assert.Equal(202, answer.Status);
        var runId = answer.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        var instance = await WaitAsync(app, SyncActivities.InstanceIdFor(runId));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var run = await app.ApiAsync("GET", $"/api/runs/{runId}");
        Assert.Equal("succeeded", run.Json.GetProperty("status").GetString());
        await app.AssertStoredEqualsSimulatorAsync(connection, store);
    }

    [Fact]
    public async Task A_backfill_runs_on_its_own_lane_through_the_Durable_engine()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fbackfill");
        var (connection, store) = await app.AddStoreAsync("woocommerce", "fbackfill-woo", new SimStoreConfig { Orders = 300, Products = 40, Customers = 20, Seed = 37 });
        var full = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id }, mode = "full" });
        await WaitAsync(app, SyncActivities.InstanceIdFor(full.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!));

        // Changes dated in October, behind the mark the full run left: only a backfill of October reads them.
        var october = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        store.MutateAt(SimKind.Orders, [299], DateTimeOffset.UtcNow);
        for (var i = 0; i < 60; i++)
        {
            store.MutateAt(SimKind.Orders, [i], october.AddHours(i * 8));
        }

        var answer = await app.ApiAsync("POST", $"/api/connections/{connection.Id}/backfill", new { entityTypes = new[] { "orders" }, from = october, to = october.AddMonths(1) });

        Assert.Equal(202, answer.Status);
        var runId = answer.Json.GetProperty("runId").GetString()!;
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await WaitAsync(app, SyncActivities.InstanceIdFor(runId))).RuntimeStatus);
        var run = (await app.ApiAsync("GET", $"/api/runs/{runId}")).Json;
        Assert.Equal(("succeeded", "backfill"), (run.GetProperty("status").GetString(), run.GetProperty("mode").GetString()));
        Assert.Equal(60, run.GetProperty("counters").GetProperty("updated").GetInt64());
        // Today's change is the schedule's: an incremental run reads it, and then the store is whole.
        var incremental = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id } });
        await WaitAsync(app, SyncActivities.InstanceIdFor(incremental.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!));
        await app.AssertStoredEqualsSimulatorAsync(connection, store);
    }

    [Fact]
    public async Task An_Amazon_order_change_from_the_notification_queue_reads_the_named_order_on_the_Durable_engine()
    {
        // The default AmazonVisibilityDelay stays: a run reading the named order by getOrder does not wait for searchOrders.
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "famznotify");
        var (connection, store) = await app.AddStoreAsync("amazon", "A3FUNCNOTIFY", new SimStoreConfig { Orders = 200, Products = 20, Customers = 10, Seed = 38 });
        var full = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id }, mode = "full" });
        await WaitAsync(app, SyncActivities.InstanceIdFor(full.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!));

        // Changed now, then notified: getOrder shows it at once (searchOrders would list it two minutes later).
        store.MutateAt(SimKind.Orders, [17], DateTimeOffset.UtcNow);
        var message = $$$"""
            {"NotificationVersion": "1.0", "NotificationType": "ORDER_CHANGE", "PayloadVersion": "1.0", "EventTime": "2026-12-07T08:00:00.000Z",
             "Payload": {"OrderChangeNotification": {"NotificationLevel": "OrderLevel", "SellerId": "A3FUNCNOTIFY", "AmazonOrderId": "{{{SimCatalog.AmazonOrderId(17)}}}"}},
             "NotificationMetadata": {"ApplicationId": "app-id", "SubscriptionId": "subscription-id", "PublishTime": "2026-12-07T08:00:00.000Z", "NotificationId": "{{{Guid.NewGuid()}}}"}}
            """;
        await app.Function<Functions.Notifications.AmazonNotificationFunction>().RunAsync(message, app.Client, CancellationToken.None);

        var runs = await Eventually.WaitForAsync(
            async () => (await app.ApiAsync("GET", $"/api/connections/{connection.Id}/runs?pageSize=10")).Json.GetProperty("runs").EnumerateArray().ToList(),
            all => all.Any(r => r.GetProperty("trigger").GetString() == "notification" && r.GetProperty("status").GetString() == "succeeded"), Patience);
        var notified = runs.First(r => r.GetProperty("trigger").GetString() == "notification");
        Assert.Equal(["orders"], notified.GetProperty("entityTypes").EnumerateArray().Select(t => t.GetString()));
        var orders = notified.GetProperty("entities")[0];
        Assert.Equal((1, 1L, 1L), (orders.GetProperty("targeted").GetInt32(), orders.GetProperty("counters").GetProperty("processed").GetInt64(), orders.GetProperty("counters").GetProperty("updated").GetInt64()));
        await app.AssertStoredEqualsSimulatorAsync(connection, store);
    }

    [Fact]
    public async Task The_timer_starts_a_scheduled_cycle_that_syncs_every_due_connection()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "ftimer", new Dictionary<string, string?> { ["Scheduler:DefaultCron"] = "* * * * * *" });
        var stores = new[] { "shopify", "woocommerce", "etsy", "amazon" }
            .Select(m => app.AddStoreAsync(m, $"ftimer-{m}", new SimStoreConfig { Orders = 300, Products = 50, Customers = 20, Seed = 32 }).Result)
            .ToList();
        var timer = app.Function<SyncTimer>();

        // The persisted schedule fires every second: the timer starts the cycle at its first tick with an occurrence due.
        var cycle = await Eventually.WaitForAsync(async () =>
        {
            await timer.RunAsync(new TimerInfo(), app.Client, CancellationToken.None);
            return await app.Client.GetInstanceAsync(OrchestrationNames.CycleInstanceId);
        }, instance => instance is not null);

        var done = await WaitAsync(app, OrchestrationNames.CycleInstanceId, getOutput: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<CycleResult>()!;
        Assert.Equal((4, 4, 0), (result.Started, result.Succeeded, result.Failed));
        foreach (var (connection, store) in stores)
        {
            await app.AssertStoredEqualsSimulatorAsync(connection, store);
        }
    }

    [Fact]
    public async Task Run_full_starts_a_full_cycle_of_every_enabled_connection()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "ffull");
        var stores = new List<(Core.Connections.Connection Connection, SimStore Store)>();
        foreach (var marketplace in new[] { "shopify", "woocommerce", "etsy", "amazon" })
        {
            stores.Add(await app.AddStoreAsync(marketplace, $"ffull-{marketplace}", new SimStoreConfig { Orders = 400, Products = 40, Customers = 10, Seed = 33 }));
        }

        // One whose credentials were refused and one an operator disabled: left out, and said so with why.
        var connectionStore = app.Services.GetRequiredService<Core.Connections.IConnectionStore>();
        var (refused, _) = await app.AddStoreAsync("woocommerce", "ffull-refused", new SimStoreConfig { Orders = 5, Seed = 34 });
        await connectionStore.UpdateAsync(refused.Id, c => c with { Health = Core.Connections.ConnectionHealth.NeedsAttention }, CancellationToken.None);
        var (disabled, _) = await app.AddStoreAsync("woocommerce", "ffull-disabled", new SimStoreConfig { Orders = 5, Seed = 35 });
        await connectionStore.UpdateAsync(disabled.Id, c => c with { Enabled = false }, CancellationToken.None);

        var answer = await app.ApiAsync("POST", "/api/sync/run-full", new { all = true });

        Assert.Equal(202, answer.Status);
        var cycleId = answer.Json.GetProperty("cycleId").GetString()!;
        Assert.Equal(4, answer.Json.GetProperty("queued").GetInt32());
        Assert.Equal(4, answer.Json.GetProperty("runIds").GetArrayLength());
        Assert.Equal((1, 1, 0), (answer.Json.GetProperty("skippedNeedsAttention").GetInt32(), answer.Json.GetProperty("skippedDisabled").GetInt32(), answer.Json.GetProperty("skippedActive").GetInt32()));
        Assert.Equal(
            new[] { $"{disabled.Id} woocommerce ffull-disabled: disabled", $"{refused.Id} woocommerce ffull-refused: needs_attention" }.Order(),
            answer.Json.GetProperty("skipped").EnumerateArray().Select(s => $"{s.GetProperty("connectionId").GetString()} {s.GetProperty("name").GetString()}: {s.GetProperty("reason").GetString()}").Order());
        var done = await WaitAsync(app, cycleId, getOutput: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(4, done.ReadOutputAs<CycleResult>()!.Succeeded);
        foreach (var (connection, store) in stores)
        {
            await app.AssertStoredEqualsSimulatorAsync(connection, store);
        }
    }

    [Fact]
    public async Task A_cycle_larger_than_a_lane_generation_continues_its_lanes_as_new_within_the_organization_cap()
    {
        // Two lanes of two runs per generation, one run per organization at a time: 7 runs of 3 organizations take
        // each lane through several generations.
        var meter = new HistoryMeter();
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "flanes", new Dictionary<string, string?>
        {
            ["Orchestration:CycleLanes"] = "2",
            ["Orchestration:RunsPerLaneGeneration"] = "2",
            ["Scheduler:OrganizationConcurrency"] = "1",
        }, historyMeter: meter);
        var stores = new List<(Core.Connections.Connection Connection, SimStore Store)>();
        foreach (var (org, count) in new[] { ("org-a", 3), ("org-b", 2), ("org-c", 2) })
        {
            for (var i = 0; i < count; i++)
            {
                stores.Add(await app.AddStoreAsync("woocommerce", $"flanes-{org}-{i}", new SimStoreConfig { Orders = 60, Products = 10, Customers = 5, Seed = 36 + i }, org));
            }
        }

        var answer = await app.ApiAsync("POST", "/api/sync/run-full", new { all = true });
        var cycleId = answer.Json.GetProperty("cycleId").GetString()!;
        var done = await WaitAsync(app, cycleId, getOutput: true);

        var result = done.ReadOutputAs<CycleResult>()!;
        Assert.Equal((2, 7, 7, 0), (result.Lanes, result.Started, result.Succeeded, result.Failed));
        var generations = new List<int>();
        for (var lane = 0; lane < 2; lane++)
        {
            var instance = await app.Client.GetInstanceAsync(CycleLanes.InstanceId(cycleId, lane), getInputsAndOutputs: true);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus);
            generations.Add(instance.ReadInputAs<LaneInput>()!.Generation);
        }

        // Lane 0 holds org-a (3 runs: 2 generations), lane 1 org-b and org-c (4 runs: 2 generations).
        Assert.Equal([1, 1], generations);

        // A generation's history: its start, two events per run (created, completed), two per replay (started,
        // completed) with at most one replay per run plus the first: 4 × 2 + 3. A lane that kept all its 4 runs in
        // one history would replay 4 × 4 + 3 events.
        Assert.True(meter.LargestByOrchestration[OrchestrationNames.CycleLane] <= (4 * 2) + 3, $"largest lane history {meter.LargestByOrchestration[OrchestrationNames.CycleLane]}");
        var state = app.Services.GetRequiredService<ISyncStateStore>();
        foreach (var group in stores.GroupBy(s => s.Connection.OrganizationId))
        {
            var runs = new List<Core.Runs.SyncRun>();
            foreach (var (connection, _) in group)
            {
                runs.Add(Assert.Single(await state.ListRunsAsync(connection.Id, 5, CancellationToken.None)));
            }

            var ordered = runs.OrderBy(r => r.StartedAt).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].StartedAt >= ordered[i - 1].FinishedAt, $"{group.Key}: two runs overlapped beyond the cap of 1");
            }
        }

        foreach (var (connection, store) in stores)
        {
            await app.AssertStoredEqualsSimulatorAsync(connection, store);
        }
    }

    [Fact]
    public async Task The_maintenance_timer_purges_finished_instances_older_than_the_history_retention()
    {
        // On the Azure Storage provider: the in-memory engine has no purge by filter.
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fpurge", new Dictionary<string, string?> { ["Orchestration:HistoryRetention"] = "00:00:01" },
            azureStorageBackend: prefix => DurableBackend.Settings(storage.ConnectionString, prefix));
        var (connection, _) = await app.AddStoreAsync("shopify", "fpurge", new SimStoreConfig { Orders = 50, Products = 5, Customers = 5, Seed = 35 });
        var answer = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id } });
        var runId = answer.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        var instanceId = SyncActivities.InstanceIdFor(runId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await WaitAsync(app, instanceId)).RuntimeStatus);

        // Once it is older than the retention, the timer's purge removes its history (the run's own record stays).
        var maintenance = app.Function<MaintenanceTimer>();
        await Eventually.WaitForAsync(async () =>
        {
            await maintenance.PurgeHistoryAsync(app.Client, CancellationToken.None);
            return await app.Client.GetInstanceAsync(instanceId);
        }, instance => instance is null);
        var run = await app.ApiAsync("GET", $"/api/runs/{runId}");
        Assert.Equal("succeeded", run.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failing_maintenance_pass_fails_the_tick_after_the_others_have_run()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fmaint", new Dictionary<string, string?> { ["Orchestration:HistoryRetention"] = "00:00:01" },
            after: services => services.AddSingleton<IRetention, BrokenRetention>(),
            azureStorageBackend: prefix => DurableBackend.Settings(storage.ConnectionString, prefix));
        var (connection, _) = await app.AddStoreAsync("shopify", "fmaint", new SimStoreConfig { Orders = 20, Products = 5, Customers = 5, Seed = 36 });
        var answer = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id } });
        var instanceId = SyncActivities.InstanceIdFor(answer.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await WaitAsync(app, instanceId)).RuntimeStatus);

        // Retention throws on every tick; the history purge after it still runs, and the tick fails saying so.
        var maintenance = app.Function<MaintenanceTimer>();
        var failed = await Eventually.WaitForAsync(async () =>
        {
            var error = await Record.ExceptionAsync(() => maintenance.RunAsync(new TimerInfo(), app.Client, CancellationToken.None));
            return (Error: error, Instance: await app.Client.GetInstanceAsync(instanceId));
        }, tick => tick.Instance is null);
        var aggregate = Assert.IsType<AggregateException>(failed.Error);
        Assert.IsType<InvalidOperationException>(Assert.Single(aggregate.InnerExceptions));
    }

    /// <summary>A retention pass that always fails (its storage refuses, say).</summary>
    private sealed class BrokenRetention : IRetention
    {
        public Task<RetentionResult> RunOnceAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("retention is broken");
    }

    private static async Task<OrchestrationMetadata> WaitAsync(FunctionsApp app, string instanceId, bool getOutput = false)
    {
        using var timeout = new CancellationTokenSource(Patience);
        // The instance may not exist yet when scheduling raced the wait.
        await Eventually.WaitForAsync(() => app.Client.GetInstanceAsync(instanceId), i => i is not null);
        return await app.Client.WaitForInstanceCompletionAsync(instanceId, getOutput, timeout.Token);
    }
}

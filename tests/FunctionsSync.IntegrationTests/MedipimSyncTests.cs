using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using System.Net.Http.Json;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// MediPim's catalogue over real HTTP against the simulator's v4 products endpoints: a full sync streams it (one
/// request per feed), a stream lost mid-way (a connection broken, a process restarted) is carried on from its index by
/// query pages rather than read again from its start, an incremental sync pages only what changed, and the
/// 100-a-minute limit's 429s, which name no wait, are waited out.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class MedipimSyncTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string StreamPath = "/v4/products/stream";
    private const string QueryPath = "/v4/products/query";

    [Fact]
    public async Task A_full_sync_streams_the_catalogue_and_an_incremental_one_reads_only_what_changed()
    {
        // An overlap of a second: the incremental run reads the changes, not the five minutes of catalogue before its mark.
        await using var harness = new SyncHarness(storage, simulator, "medipimfull", new Dictionary<string, string?> { ["Sync:OverlapWindow"] = "00:00:01" });
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Medipim, "medipim-full", new SimStoreConfig { Orders = 0, Customers = 0, Products = 2_600, Seed = 91 });

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);

        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        await AssertStoredAsync(harness, connection, store, "after the full sync");
        var paths = simulator.AnsweredPaths(store);
        // One stream per feed (products, prices), and no page at all.
        Assert.Equal((2, 0), (paths.Count(p => p.EndsWith(StreamPath, StringComparison.Ordinal)), paths.Count(p => p.EndsWith(QueryPath, StringComparison.Ordinal))));
        Assert.Equal(2_600, full.Run.Entity(EntityType.Products)!.Counters.Expected);

        var changed = new[] { 3, 700, 701, 2_599 };
        store.MutateAt(SimKind.Products, changed, DateTimeOffset.UtcNow);
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);

        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        var products = incremental.Run.Entity(EntityType.Products)!.Counters;
        Assert.Equal((4L, 0L), (products.Updated, products.Created));
        Assert.True(products.Processed < 10, $"{products.Processed} products read for 4 changes");
        Assert.Equal(2, simulator.AnsweredPaths(store).Count(p => p.EndsWith(StreamPath, StringComparison.Ordinal)));
        await AssertStoredAsync(harness, connection, store, "after the incremental sync");
    }

    [Fact]
    public async Task A_stream_that_breaks_off_is_carried_on_by_pages_from_where_it_stopped()
    {
        await using var harness = new SyncHarness(storage, simulator, "medipimcut");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Medipim, "medipim-cut", new SimStoreConfig { Orders = 0, Customers = 0, Products = 3_000, Seed = 92 });
        simulator.State.Faults = new SimFaults { CutDownloadAtBytes = 400_000 };
        SyncOutcome full;
        try
        {
            full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Products]), CancellationToken.None);
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }

        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        await AssertStoredAsync(harness, connection, store, "after a broken stream", EntityType.Products);
        var paths = simulator.AnsweredPaths(store);
        var pages = paths.Count(p => p.EndsWith(QueryPath, StringComparison.Ordinal));
        Assert.Equal(1, paths.Count(p => p.EndsWith(StreamPath, StringComparison.Ordinal)));
        // The pages read what the stream had not delivered (at most the page it broke in again), not the catalogue.
        Assert.InRange(pages, 1, 3_000 / 250 - 1);
    }

    [Fact]
    public async Task A_run_resumed_by_another_process_reads_on_from_its_checkpoint_through_pages()
    {
        const string owner = "medipim-runner";
        var products = 3_000;
        string runId;
        SimStore store;
        Connection connection;
        await using (var first = new SyncHarness(storage, simulator, "medipimresume"))
        {
            (connection, store) = await first.AddStoreAsync(MarketplaceNames.Medipim, "medipim-resume", new SimStoreConfig { Orders = 0, Customers = 0, Products = products, Seed = 93 });
            var slice = await first.Syncer.RunPagesAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Products], Owner: owner), 4, CancellationToken.None);
            Assert.Equal(SyncOutcomeKind.InProgress, slice.Kind);
            runId = slice.Run!.RunId;
        }

        // Another process (its own open streams: none) takes the run on under the same owner.
        await using var second = new SyncHarness(storage, simulator, "medipimresume");
        var resumed = await second.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Products], RunId: runId, Owner: owner), CancellationToken.None);

        Assert.True(resumed.Run!.Status == RunStatus.Succeeded, resumed.Run.Error);
        await AssertStoredAsync(second, connection, store, "after a resumed stream", EntityType.Products);
        var paths = simulator.AnsweredPaths(store);
        Assert.Equal(1, paths.Count(p => p.EndsWith(StreamPath, StringComparison.Ordinal)));
        // Four pages of 250 came from the stream: the rest, 2,000 products, is eight pages of 250 (one more if the
        // checkpoint fell inside a page), never the twelve of the whole catalogue.
        Assert.InRange(paths.Count(p => p.EndsWith(QueryPath, StringComparison.Ordinal)), 8, 9);
    }

    [Fact]
    public async Task Rate_limit_answers_that_name_no_wait_are_waited_out_and_fail_nothing()
    {
        await using var harness = new SyncHarness(storage, simulator, "medipim429");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Medipim, "medipim-429",
            new SimStoreConfig { Orders = 0, Customers = 0, Products = 1_000, Seed = 94, RateLimit = new SimRateLimit(3, 25) },
            settings: new Dictionary<string, string> { ["pageSize"] = "10" });
        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);

        store.MutateAt(SimKind.Products, Enumerable.Range(100, 150), DateTimeOffset.UtcNow);
        simulator.State.RateLimitsEnabled = true;
        SyncOutcome incremental;
        try
        {
            incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        }
        finally
        {
            simulator.State.RateLimitsEnabled = false;
        }

        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        Assert.True(incremental.Run.Calls!.Throttled > 0, "the simulator's limit was never reached");
        Assert.Contains(simulator.State.Requests, r => r.StoreId == store.StoreId && r.Status == 429);
        await AssertStoredAsync(harness, connection, store, "after throttled pages");
    }

    /// <summary>
    /// A catalogue's nightly full sync is its connection's own schedule (<c>fullSyncCron</c>): a scheduled cycle plans
    /// the connection in full once an occurrence has passed since its last run, even inside its interval, and
    /// incrementally (or not at all) otherwise; a second trigger while its run goes on is a 409.
    /// </summary>
    [Fact]
    public async Task A_connections_own_nightly_schedule_plans_its_full_sync_and_a_second_trigger_is_refused()
    {
        var clock = new OffsetClock();
        await using var host = new HostApp(storage, "medipimnightly") { Clock = clock };
        var client = host.Client();
        var (nightly, _, _) = await client.RegisterSimulatedAsync(simulator, "org-nightly", MarketplaceNames.Medipim, "medipim-nightly",
            new SimStoreConfig { Orders = 0, Customers = 0, Products = 1_500, Seed = 95 }, new Dictionary<string, string> { ["fullSyncCron"] = "0 0 2 * * *" });
        var (plain, _, _) = await client.RegisterSimulatedAsync(simulator, "org-nightly", MarketplaceNames.Medipim, "medipim-plain",
            new SimStoreConfig { Orders = 0, Customers = 0, Products = 100, Seed = 96 });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await client.PatchAsJsonAsync($"/api/connections/{nightly}", new { settings = new { fullSyncCron = "nightly" } })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/connections/{nightly}", new { intervalMinutes = 1440 })).StatusCode);
        var planner = host.Services.GetRequiredService<CyclePlanner>();
        async Task<Dictionary<string, SyncMode>> PlanAsync() =>
            (await planner.PlanAsync(CycleKind.Scheduled, "org-nightly", CancellationToken.None)).Queued.ToDictionary(j => j.ConnectionId, j => j.Mode);

        Assert.Equal(new Dictionary<string, SyncMode> { [nightly] = SyncMode.Full, [plain] = SyncMode.Incremental }, await PlanAsync());
        // Its run in flight (the simulator slowed, so it is): a second trigger is refused, naming it.
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 200 };
        string runId;
        try
        {
            var triggered = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { nightly }, mode = "full" });
            runId = (await triggered.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
            var second = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { nightly } });
            Assert.Equal(System.Net.HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains(runId, (await second.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }

        var run = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var products = run.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityType").GetString() == "products").GetProperty("counters");
        // Chunk progress: the run knew from the stream's first line how many products to expect.
        Assert.Equal((1_500L, 1_500L), (products.GetProperty("expected").GetInt64(), products.GetProperty("created").GetInt64()));

        // Just before the next 02:00 it is not due (its day has not passed); just after, it is, in full.
        var now = clock.GetUtcNow();
        var next = now.Date.AddHours(2) > now.UtcDateTime ? new DateTimeOffset(now.Date.AddHours(2), TimeSpan.Zero) : new DateTimeOffset(now.Date.AddDays(1).AddHours(2), TimeSpan.Zero);
        clock.Advance(next - now - TimeSpan.FromMinutes(1));
        Assert.False((await PlanAsync()).ContainsKey(nightly));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(SyncMode.Full, (await PlanAsync())[nightly]);
    }

    private static async Task AssertStoredAsync(SyncHarness harness, Connection connection, SimStore store, string when, params EntityType[] only)
    {
        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in only.Length > 0 ? only : [EntityType.Products, EntityType.Prices])
        {
            Expected.Matches(Expected.For(store, type), snapshot.GetValueOrDefault(type) ?? [], $"medipim {type.ToWire()} {when}");
        }
    }
}

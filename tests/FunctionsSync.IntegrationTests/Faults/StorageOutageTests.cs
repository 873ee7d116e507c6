using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Xunit.Abstractions;

namespace FunctionsSync.IntegrationTests.Faults;

/// <summary>
/// Storage goes away under a running full sync, twice (for 20 s, then 90 s), as an operator stopping Azurite would make
/// it: the self-hosted runtime's run is interrupted, resumed by itself once storage answers, reads no marketplace page
/// twice from the start, and ends with exactly the simulator's data.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class StorageOutageTests(SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Orders in the store: <c>FUNCTIONSSYNC_OUTAGE_ORDERS</c>, else 100,000.</summary>
    private static readonly int Orders = int.TryParse(Environment.GetEnvironmentVariable("FUNCTIONSSYNC_OUTAGE_ORDERS"), out var n) ? n : 100_000;

    private const int Small = 300;

    private AzuriteFixture? azurite;

    public async Task InitializeAsync() => azurite = await AzuriteFixture.StartPrivateAsync();

    public Task DisposeAsync() => azurite?.DisposeAsync() ?? Task.CompletedTask;

    /// <summary>Two real outages of 20 s and 90 s (the scenario is their length): in the long trait, which <c>scripts/test.sh --all</c> (CI) runs.</summary>
    [Fact]
    [Trait("Category", "Long")]
    public async Task A_full_sync_survives_storage_stopped_for_20_s_and_then_90_s_and_ends_exact_without_rereading_from_page_1()
    {
        var prefix = StorageServices.NewPrefix("outage");
        await using var host = new HostApp(azurite!, prefix, new Dictionary<string, string?>
        {
            // As in production: writes gathered to 800 records, checkpointed after each.
            ["Sync:MinRecordsPerWrite"] = "800",
            ["Workers:Count"] = "2",
        });
        using var client = host.Client();
        var storeId = $"outage-{Guid.NewGuid():N}"[..20];
        // REST: the test counts its order pages (page_info) to show none is read twice.
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-outage", "shopify", storeId,
            new SimStoreConfig { Orders = Orders, Products = Small, Customers = Small, Seed = 14 }, SyncHarness.Rest);
        var total = EntityTypes.All.Sum(t => (long)Expected.For(store, t).Count);

        var triggered = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        var runId = triggered.GetProperty("runs")[0].GetProperty("runId").GetString()!;

        var outages = new List<string>();
        foreach (var (share, seconds) in new[] { (0.2, 20), (0.55, 90) })
        {
            await Eventually.WaitForAsync(() => RunAsync(client, runId), run => Processed(run) >= share * total, TimeSpan.FromMinutes(10));
            outages.Add(await OutageAsync(client, storeId, TimeSpan.FromSeconds(seconds)));
        }

        var finished = await client.WaitForRunAsync(runId, TimeSpan.FromMinutes(15));
        Assert.True(finished.GetProperty("status").GetString() == "succeeded", finished.ToString());

        // Each outage interrupted the run and it was resumed without anyone asking: three attempts (one per outage
        // stop, the first one included), every record created exactly once.
        Assert.InRange(finished.GetProperty("attempts").GetInt32(), 3, 5);
        Assert.Equal(total, finished.GetProperty("counters").GetProperty("created").GetInt64());
        Assert.Equal(0, finished.GetProperty("counters").GetProperty("updated").GetInt64());

        // Resumed from the checkpoint: the orders feed, where both outages struck, had its first page asked for once
        // (a restart from page 1 asks again), and at each stop at most what the pipeline held was read again: the
        // write whose checkpoint was landing, the one being ingested, the one read ahead and the one being gathered,
        // 4 writes of 4 pages (800 records in pages of 250).
        var requests = simulator.State.Requests.Where(r => r.StoreId == storeId && r.Status == 200).ToList();
        var orderPages = requests.Where(r => Resource(r.Path).StartsWith("orders.json", StringComparison.Ordinal)).ToList();
        var repeated = orderPages.GroupBy(r => r.Path).Count(g => g.Count() > 1);
        var report = $"{orderPages.Count} order pages read for {Pages(Orders)}, {repeated} of them twice; {string.Join("; ", outages)}";
        output.WriteLine(report);
        Assert.True(orderPages.Count(r => !r.Path.Contains("page_info=", StringComparison.Ordinal)) == 1, report);
        Assert.True(orderPages.Count <= Pages(Orders) + (2 * 4 * 4), report);

        await using var harness = new SyncHarness(azurite!, simulator, prefix);
        var snapshot = await harness.SnapshotAsync(connectionId);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"{type.ToWire()} after two outages");
        }
    }

    /// <summary>
    /// Azurite killed (<c>kill -9</c>, nothing saved on the way out) under a running full sync and started again on its
    /// data folder: the run resumes by itself and ends with exactly the simulator's data. Azurite saves its tables and
    /// queues every 5 s, so the kill takes back up to the last 5 s of writes, acknowledged ones included (a consistent
    /// snapshot: records, cursors and run as they were): the run resumes from the checkpoint storage kept.
    /// </summary>
    [Fact]
    [Trait("Category", "Long")]
    public async Task A_full_sync_survives_storage_killed_and_restarted_on_its_data_and_ends_exact()
    {
        var prefix = StorageServices.NewPrefix("azkill");
        await using var host = new HostApp(azurite!, prefix, new Dictionary<string, string?> { ["Sync:PageSize"] = "100", ["Workers:Count"] = "2" });
        using var client = host.Client();
        var storeId = $"azkill-{Guid.NewGuid():N}"[..20];
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-azkill", "woocommerce", storeId,
            new SimStoreConfig { Orders = 3_000, Products = Small, Customers = Small, Seed = 15 });
        // Pages slow enough that the run is well past its first save (5 s) when storage dies: half the records read and
        // at least 8 s since it was queued (on a fast machine half the records came within the first save, and the kill
        // took the whole run back with it).
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 300 };
        var total = EntityTypes.All.Sum(t => (long)Expected.For(store, t).Count);
        var queuedAt = System.Diagnostics.Stopwatch.StartNew();
        var triggered = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        var runId = triggered.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await Eventually.WaitForAsync(() => RunAsync(client, runId), run => Processed(run) >= total / 2 && queuedAt.Elapsed > TimeSpan.FromSeconds(8), TimeSpan.FromMinutes(5));

        await azurite!.KillAsync();
        await azurite.StartAsync();
        simulator.State.Faults = new SimFaults();

        // Until storage answers again the API answers problems (503); then the run as the storage kept it.
        var finished = await Eventually.WaitForAsync(
            () => RunAsync(client, runId),
            run => run.GetProperty("status").ValueKind == JsonValueKind.String && run.GetProperty("status").GetString() is "succeeded" or "partial" or "failed" or "cancelled",
            TimeSpan.FromMinutes(5));
        Assert.True(finished.GetProperty("status").GetString() == "succeeded", finished.ToString());
        await using var harness = new SyncHarness(azurite, simulator, prefix);
        var snapshot = await harness.SnapshotAsync(connectionId);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"{type.ToWire()} after Azurite was killed");
        }
    }

    /// <summary>
    /// Stops Azurite for <paramref name="duration"/> (the scenario's length, not a wait for a condition), asking for
    /// health all along: it answers within its deadline and names the storage services as down; then starts Azurite
    /// again on the same ports and data.
    /// </summary>
    private async Task<string> OutageAsync(HttpClient client, string storeId, TimeSpan duration)
    {
        var marketplaceBefore = simulator.State.Requests.Count(r => r.StoreId == storeId);
        await azurite!.StopAsync();
        var down = Stopwatch.StartNew();
        var slowestHealth = TimeSpan.Zero;
        var checks = 0;
        while (down.Elapsed < duration)
        {
            var asked = Stopwatch.StartNew();
            using var health = await client.GetAsync("/api/health");
            slowestHealth = asked.Elapsed > slowestHealth ? asked.Elapsed : slowestHealth;
            var body = await health.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal(["queues", "tables"], body.GetProperty("down").EnumerateArray().Select(d => d.GetString()!).ToArray());
            checks++;
            await Outage.BetweenChecksAsync();
        }

        // While storage is away, reads of the API answer 503 with Retry-After, and the runner stops asking the
        // marketplace for pages: at most what the pipeline holds (4 writes of 4 pages, as above), and in practice less.
        using (var run = await client.GetAsync("/api/connections"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, run.StatusCode);
            Assert.Equal("application/problem+json", run.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(run.Headers.RetryAfter);
        }

        var marketplaceDuring = simulator.State.Requests.Count(r => r.StoreId == storeId) - marketplaceBefore;
        Assert.InRange(marketplaceDuring, 0, 4 * 4);
        Assert.True(slowestHealth < TimeSpan.FromSeconds(5), $"health took {slowestHealth.TotalSeconds:0.0} s during the outage");

        await azurite.StartAsync();
        return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0} s outage: {checks} health checks (slowest {slowestHealth.TotalSeconds:0.0} s), {marketplaceDuring} marketplace requests");
    }

    private static int Pages(int records) => (records + 249) / 250;

    /// <summary>The resource of a Shopify Admin path: <c>/shopify/{store}/admin/api/{version}/orders/count.json</c> → <c>orders/count.json</c>.</summary>
    private static string Resource(string path) => string.Join('/', path.Split('/').SkipWhile(p => p != "api").Skip(2));

    private static async Task<JsonElement> RunAsync(HttpClient client, string runId) => await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync();

    private static long Processed(JsonElement run) => run.GetProperty("counters").GetProperty("processed").GetInt64();
}

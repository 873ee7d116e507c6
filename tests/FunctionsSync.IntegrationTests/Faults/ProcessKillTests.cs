using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Records;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests.Faults;

/// <summary>
/// The self-hosted runtime killed (<c>kill -9</c>: nothing flushed, no shutdown) in the middle of work that spans
/// storage and the network, then started again on the same storage: nothing is lost, nothing is applied twice.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProcessKillTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Workers:Count"] = "1",
        ["Workers:VisibilityTimeout"] = "00:00:05",
        ["Sync:LeaseDuration"] = "00:00:04",
        ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        // A dead process's claim on a delivery lapses after three request timeouts.
        ["Webhooks:RequestTimeout"] = "00:00:02",
        ["Webhooks:SweepInterval"] = "00:00:00.200",
        ["Webhooks:SweepAfter"] = "00:00:00",
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Killed while its receiver holds a delivery's request: after the restart the receiver gets the event (at least
    /// once), always under the same <c>webhook-id</c>, and the delivery log shows it delivered.
    /// </summary>
    [Fact]
    public async Task A_host_killed_mid_webhook_delivery_delivers_the_event_after_its_restart_under_one_webhook_id()
    {
        const string prefix = "killhook";
        var receiver = $"killhook-{Guid.NewGuid():N}"[..24];
        string endpointId;
        await using (var first = await HostProcess.StartAsync(storage, prefix, Fast))
        {
            using var client = first.Client();
            var (connectionId, _, _) = await client.RegisterSimulatedAsync(simulator, "org-killhook", "woocommerce", "killhook-store", new SimStoreConfig { Orders = 20, Products = 5, Customers = 5, Seed = 92 });
            var endpoint = await (await client.PostJsonAsync("/api/webhooks", new { organizationId = "org-killhook", events = new[] { "sync.completed" }, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}" })).ReadJsonAsync();
            endpointId = endpoint.GetProperty("id").GetString()!;
            using var mock = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
            await mock.PutAsJsonAsync($"/mock/webhooks/{receiver}/secret", new { secret = endpoint.GetProperty("secret").GetString() });
            // The receiver holds each request a second and a half: the kill lands while one is open.
            await mock.PostAsJsonAsync($"/mock/webhooks/{receiver}/delay", new { milliseconds = 1_500 });

            await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId } });
            await Eventually.WaitForAsync(() => ReceiverAsync(receiver), r => r.GetProperty("inFlight").GetInt32() >= 1, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            await first.KillAsync();
        }

        await using var second = await HostProcess.StartAsync(storage, prefix, Fast);
        using var api = second.Client();
        var delivery = await Eventually.WaitForAsync(
            async () => (await (await api.GetAsync($"/api/webhooks/{endpointId}/deliveries")).ReadJsonAsync()).GetProperty("deliveries")[0],
            d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(60));
        var got = await ReceiverAsync(receiver);
        Assert.Equal(1, got.GetProperty("accepted").GetArrayLength());
        Assert.Equal(0, got.GetProperty("badSignatures").GetInt32());
        var ids = got.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("webhookId").GetString()).Distinct().ToList();
        Assert.Equal([delivery.GetProperty("eventId").GetString()], ids);
        Assert.Contains(delivery.GetProperty("log").EnumerateArray(), a => a.GetProperty("statusCode").GetInt32() == 200);
    }

    /// <summary>
    /// Killed while a Shopify bulk result file is coming down (a slow link): the host started again takes the run over
    /// once its lease lapses, and the run ends with exactly the store's data.
    /// </summary>
    [Fact]
    public async Task A_host_killed_mid_Shopify_bulk_download_resumes_the_run_after_its_restart_and_ends_exact()
    {
        const string prefix = "killbulk";
        var storeId = $"killbulk-{Guid.NewGuid():N}"[..20];
        var settings = new Dictionary<string, string?>(Fast)
        {
            ["Marketplaces:Shopify:BulkPollInterval"] = "00:00:00.050",
            // Both processes keep bulk files in one folder, as one machine's restarts would.
            ["Marketplaces:Shopify:Directory"] = Path.Combine(Path.GetTempPath(), "functionssync-tests", prefix + TestRun.Suffix),
        };
        string connectionId, runId;
        SimStore store;
        await using (var first = await HostProcess.StartAsync(storage, prefix, settings))
        {
            using var client = first.Client();
            (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-killbulk", "shopify", storeId, new SimStoreConfig { Orders = 6_000, Products = 200, Customers = 200, Seed = 93 });
            simulator.State.Faults = new SimFaults { DownloadBytesPerSecond = 300_000 };
            var triggered = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
            runId = triggered.GetProperty("runs")[0].GetProperty("runId").GetString()!;
            await Eventually.WaitForAsync(
                () => Task.FromResult(store.BulkOperations.Values.Any(op => op.FileSize > 0 && op.BytesServed > op.FileSize / 4 && op.BytesServed < op.FileSize)),
                midway => midway, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            await first.KillAsync();
        }

        simulator.State.Faults = new SimFaults();
        await using var second = await HostProcess.StartAsync(storage, prefix, settings);
        using var api = second.Client();
        var run = await api.WaitForRunAsync(runId, TimeSpan.FromSeconds(120));
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        await using var harness = new SyncHarness(storage, simulator, prefix);
        var snapshot = await harness.SnapshotAsync(connectionId);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"{type.ToWire()} after the kill mid-download");
        }
    }

    /// <summary>
    /// Killed while a MediPim catalogue streams in (a slow link): the host started again takes the run over once its lease
    /// lapses and reads on from the checkpointed index by query pages (the stream is never read again from its start),
    /// and the run ends with exactly the catalogue.
    /// </summary>
    [Fact]
    public async Task A_host_killed_mid_MediPim_stream_reads_on_from_its_checkpoint_after_its_restart_and_ends_exact()
    {
        const string prefix = "killstream";
        const int products = 20_000;
        var storeId = $"killstream-{Guid.NewGuid():N}"[..20];
        string connectionId, runId;
        SimStore store;
        await using (var first = await HostProcess.StartAsync(storage, prefix, Fast))
        {
            using var client = first.Client();
            (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-killstream", "medipim", storeId, new SimStoreConfig { Orders = 0, Products = products, Customers = 0, Seed = 94 });
            simulator.State.Faults = new SimFaults { DownloadBytesPerSecond = 400_000 };
            var triggered = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full", entityTypes = new[] { "products" } })).ReadJsonAsync();
            runId = triggered.GetProperty("runs")[0].GetProperty("runId").GetString()!;
            await Eventually.WaitForAsync(() => Task.FromResult(store.StreamedLines), lines => lines > products / 4, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            await first.KillAsync();
        }

        simulator.State.Faults = new SimFaults();
        var streamed = store.StreamedLines;
        await using var second = await HostProcess.StartAsync(storage, prefix, Fast);
        using var api = second.Client();
        var run = await api.WaitForRunAsync(runId, TimeSpan.FromSeconds(120));
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        await using var harness = new SyncHarness(storage, simulator, prefix);
        Expected.Matches(Expected.For(store, EntityType.Products), (await harness.SnapshotAsync(connectionId))[EntityType.Products], "products after the kill mid-stream");
        var paths = simulator.AnsweredPaths(store);
        Assert.Equal(1, paths.Count(p => p.EndsWith("/v4/products/stream", StringComparison.Ordinal)));
        // The pages cover what the stream had not delivered (and what was streamed but not yet checkpointed), not the catalogue.
        var pages = paths.Count(p => p.EndsWith("/v4/products/query", StringComparison.Ordinal));
        Assert.InRange(pages, 1, (products - (streamed / 2)) / 250 + 2);
    }

    /// <summary>
    /// Killed in the middle of resolving a conflict by accepting the marketplace's version: the record was written, the
    /// conflict's own write never reached storage (the process is cut off from it at that request, then killed). After
    /// the restart the conflict is still open, resolving it again succeeds, and the record is the marketplace's version.
    /// </summary>
    [Fact]
    public async Task A_host_killed_mid_conflict_resolution_leaves_the_conflict_open_and_resolving_it_again_settles_it()
    {
        const string prefix = "killresolve";
        var settings = new Dictionary<string, string?>(Fast) { ["Conflicts:RetryDelay"] = "01:00:00" };
        var (gatedStorage, gates) = TcpGate.Around(storage.ConnectionString);
        string connectionId, conflictId, orderId = SimCatalog.OrderId(3).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string marketplaceStatus;
        try
        {
            await using var first = await HostProcess.StartAsync(storage, prefix, new Dictionary<string, string?>(settings) { ["Storage:ConnectionString"] = gatedStorage });
            using var client = first.Client();
            SimStore store;
            (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-killresolve", "woocommerce", "killresolve-store", new SimStoreConfig { Orders = 20, Products = 5, Customers = 5, Seed = 94 });
            await SyncAsync(client, connectionId, "full");
            var record = JsonNode.Parse((await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{orderId}")).ReadJsonAsync()).GetProperty("record").GetRawText())!.AsObject();
            record["status"] = "held-by-warehouse";
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/connections/{connectionId}/records/orders/{orderId}", new StringContent(record.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).StatusCode);
            store.Mutate(SimKind.Orders, 20, DateTimeOffset.UtcNow.AddMinutes(-5));
            await SyncAsync(client, connectionId, "incremental");
            var conflict = (await (await client.GetAsync($"/api/conflicts?connectionId={connectionId}")).ReadJsonAsync()).GetProperty("conflicts")[0];
            conflictId = conflict.GetProperty("id").GetString()!;
            marketplaceStatus = conflict.GetProperty("source").GetProperty("status").GetString()!;

            // The first write to the conflicts table from here on is the resolution's own: it never arrives.
            var table = TestRun.Prefixed(prefix).ToLowerInvariant() + "conflicts";
            foreach (var gate in gates)
            {
                gate.HoldBefore(request => request.StartsWith("POST ", StringComparison.Ordinal) || request.StartsWith("PUT ", StringComparison.Ordinal) || request.StartsWith("MERGE ", StringComparison.Ordinal)
                    ? request.Contains(table, StringComparison.OrdinalIgnoreCase) || request.Contains("$batch", StringComparison.Ordinal) && request.Contains("conflicts", StringComparison.OrdinalIgnoreCase)
                    : false);
            }

            var resolving = client.PostJsonAsync($"/api/conflicts/{conflictId}/resolve", new { resolution = "accept_source" });
            await Eventually.WaitForAsync(() => Task.FromResult(gates.Any(g => g.IsHeld)), held => held, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
            await first.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => resolving);
        }
        finally
        {
            foreach (var gate in gates)
            {
                await gate.DisposeAsync();
            }
        }

        await using var second = await HostProcess.StartAsync(storage, prefix, settings);
        using var api = second.Client();
        // The record took the marketplace's version; the conflict did not learn it.
        Assert.Equal(marketplaceStatus, await StatusAsync(api, connectionId, orderId));
        Assert.NotEqual("resolved", (await (await api.GetAsync($"/api/conflicts/{conflictId}")).ReadJsonAsync()).GetProperty("status").GetString());

        var again = await api.PostJsonAsync($"/api/conflicts/{conflictId}/resolve", new { resolution = "accept_source" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("resolved", (await again.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(marketplaceStatus, await StatusAsync(api, connectionId, orderId));
        // The next sync has nothing left to argue about.
        var next = await SyncAsync(api, connectionId, "incremental");
        Assert.False(next.GetProperty("conflicts").TryGetProperty("data_mismatch", out _));
    }

    private static async Task<JsonElement> SyncAsync(HttpClient client, string connectionId, string mode)
    {
        var triggered = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode })).ReadJsonAsync();
        var run = await client.WaitForRunAsync(triggered.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        return run;
    }

    private static async Task<string> StatusAsync(HttpClient client, string connectionId, string orderId) =>
        (await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{orderId}")).ReadJsonAsync()).GetProperty("record").GetProperty("status").GetString()!;

    private async Task<JsonElement> ReceiverAsync(string receiver)
    {
        using var http = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
        return await (await http.GetAsync($"/mock/webhooks/{receiver}")).ReadJsonAsync();
    }
}

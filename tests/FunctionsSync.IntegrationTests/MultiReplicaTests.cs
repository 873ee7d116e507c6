using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>Two host processes share one storage account: each connection synced once per cycle, a killed replica loses nothing.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class MultiReplicaTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    private const string Prefix = "multi";
    private readonly List<Process> hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        foreach (var host in hosts.Where(h => !h.HasExited))
        {
            host.Kill(entireProcessTree: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_connection_is_synced_once_per_cycle_and_a_killed_replica_loses_nothing()
    {
        var (a, urlA) = await StartHostAsync();
        var (b, _) = await StartHostAsync();
        using var client = new HttpClient { BaseAddress = new Uri(urlA) };
        client.DefaultRequestHeaders.Add("X-Api-Key", HostApp.AdminKey);

        var stores = new Dictionary<string, SimStore>();
        foreach (var org in new[] { "org-m1", "org-m2" })
        {
            foreach (var marketplace in new[] { "shopify", "woocommerce", "etsy", "amazon" })
            {
                var storeId = $"multi-{org}-{marketplace}";
                var credentials = SyncHarness.CredentialsFor(marketplace, storeId);
                var store = simulator.State.PutStore(marketplace, storeId, new SimStoreConfig { Orders = 1_500, Products = 300, Customers = 100, Seed = storeId.Length, Credentials = credentials });
                var registered = await client.PostJsonAsync("/api/connections", new
                {
                    organizationId = org,
                    marketplace,
                    externalStoreId = storeId,
                    name = storeId,
                    credentials,
                    settings = new Dictionary<string, string> { ["baseUrl"] = marketplace == "etsy" ? $"{simulator.BaseUrl}/etsy" : $"{simulator.BaseUrl}/{marketplace}/{storeId}" },
                });
                stores[(await registered.ReadJsonAsync()).GetProperty("connectionId").GetString()!] = store;
            }
        }

        // Slow pages, so runs are still going when a replica dies.
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 60 };
        var cycle = await (await client.PostJsonAsync("/api/sync/run-full", new { all = true })).ReadJsonAsync();
        var runIds = cycle.GetProperty("runIds").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Equal(8, runIds.Count);

        // Kill replica B while it is in the middle of a run.
        await using var harness = new SyncHarness(storage, simulator, Prefix);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var killedWhileRunning = false;
        string? heldByB = null;
        while (DateTime.UtcNow < deadline && !killedWhileRunning)
        {
            foreach (var connectionId in stores.Keys)
            {
                var lease = await harness.State.GetLeaseAsync(connectionId, CancellationToken.None);
                if (lease?.Owner.Contains($"-{b.Id}/") == true && lease.ExpiresAt > DateTimeOffset.UtcNow)
                {
                    b.Kill(entireProcessTree: true);
                    await b.WaitForExitAsync();
                    killedWhileRunning = true;
                    heldByB = connectionId;
                    break;
                }
            }

            await Task.Delay(50);
        }

        Assert.True(killedWhileRunning, "replica B never held a run");
        simulator.State.Faults = new SimFaults();

        var runs = new List<JsonElement>();
        foreach (var runId in runIds)
        {
            runs.Add(await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(120)));
        }

        Assert.All(runs, r => Assert.True(r.GetProperty("status").GetString() == "succeeded", r.ToString()));
        // The run B was in the middle of was finished by A, after B's lease expired.
        var orphan = Assert.Single(runs, r => r.GetProperty("connectionId").GetString() == heldByB);
        Assert.Equal("succeeded", orphan.GetProperty("status").GetString());
        foreach (var (connectionId, store) in stores)
        {
            // Exactly one run per connection in this cycle (and none besides).
            Assert.Single(await harness.State.ListRunsAsync(connectionId, 10, CancellationToken.None));
            var snapshot = await harness.SnapshotAsync(connectionId);
            foreach (var type in EntityTypes.All)
            {
                Expected.Matches(Expected.For(store, type), snapshot[type], $"{store.StoreId} {type.ToWire()}");
            }
        }

        Assert.False(a.HasExited);
    }

    private async Task<(Process Process, string Url)> StartHostAsync()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var dll = Path.Combine(AzuriteFixture.RepoRoot(), "src", "FunctionsSync.Host", "bin", configuration, "net10.0", "FunctionsSync.Host.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls {url}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var settings = HostApp.Defaults(storage, Prefix, new Dictionary<string, string?>
        {
            ["Workers:Count"] = "2",
            ["Workers:VisibilityTimeout"] = "00:00:06",
            ["Sync:LeaseDuration"] = "00:00:04",
            ["Sync:PageSize"] = "100",
        });
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        hosts.Add(process);

        using var probe = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await probe.GetAsync($"{url}/api/health")).StatusCode == HttpStatusCode.OK)
                {
                    return (process, url);
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            Assert.False(process.HasExited, "host process exited at start-up");
            Assert.True(DateTime.UtcNow < deadline, "host did not become healthy");
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.Host.Workers;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>Pause, resume and cancel over HTTP, honoured between pages, with the data checked afterwards.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RunControlTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    private static readonly SimStoreConfig Size = new() { Orders = 2_000, Products = 300, Customers = 100, Seed = 77 };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    private async Task<(HttpClient Client, string ConnectionId, SimStore Store)> SetUpAsync(HostApp host, string storeId)
    {
        var client = host.Client();
        var credentials = SyncHarness.CredentialsFor("woocommerce", storeId);
        var store = simulator.State.PutStore("woocommerce", storeId, Size with { Credentials = credentials });
        var response = await client.PostJsonAsync("/api/connections", new
        {
            organizationId = "org-control",
            marketplace = "woocommerce",
            externalStoreId = storeId,
            name = storeId,
            credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = $"{simulator.BaseUrl}/woocommerce/{storeId}" },
        });
        return (client, (await response.ReadJsonAsync()).GetProperty("connectionId").GetString()!, store);
    }

    private static Task<JsonElement> WaitForAsync(HttpClient client, string runId, Func<JsonElement, bool> condition) =>
        Eventually.WaitForAsync(async () => await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync(), condition, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

    private static long Processed(JsonElement run) => run.GetProperty("counters").GetProperty("processed").GetInt64();

    [Fact]
    public async Task Pause_then_resume_ends_with_the_same_data_as_an_uninterrupted_run()
    {
        await using var host = new HostApp(storage, "runpause", new Dictionary<string, string?> { ["Sync:PageSize"] = "50" });
        var (client, connectionId, store) = await SetUpAsync(host, "control-pause");
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 25 };

        var runId = (await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync())
            .GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await WaitForAsync(client, runId, r => Processed(r) >= 300);

        var pause = await client.PostAsync($"/api/runs/{runId}/pause", null);
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        Assert.Equal("pause", (await pause.ReadJsonAsync()).GetProperty("requested").GetString());
        var paused = await WaitForAsync(client, runId, r => r.GetProperty("status").GetString() == "paused");

        // Stopped between pages with the lease free; nothing moves while paused.
        await using var harness = new SyncHarness(storage, simulator, "runpause");
        var lease = await harness.State.GetLeaseAsync(connectionId, CancellationToken.None);
        Assert.Equal("", lease!.Owner);
        Assert.Equal(runId, lease.ActiveRunId);
        // The job workers go round and take nothing up.
        await host.PassesAsync(WorkerPasses.Jobs, 4);
        var still = await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync();
        Assert.Equal(Processed(paused), Processed(still));
        Assert.True(Processed(still) < Expected.For(store, EntityType.Orders).Count + 700);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{runId}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId } })).StatusCode);

        simulator.State.Faults = new SimFaults();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/runs/{runId}/resume", null)).StatusCode);
        var done = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        var counters = done.GetProperty("counters");
        Assert.Equal(counters.GetProperty("total").GetInt64(), counters.GetProperty("created").GetInt64());
        var snapshot = await harness.SnapshotAsync(connectionId);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"after pause and resume: {type.ToWire()}");
        }

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{runId}/resume", null)).StatusCode);
    }

    [Fact]
    public async Task Cancel_keeps_what_was_stored_and_frees_the_connection()
    {
        await using var host = new HostApp(storage, "runcancel", new Dictionary<string, string?> { ["Sync:PageSize"] = "50" });
        var (client, connectionId, store) = await SetUpAsync(host, "control-cancel");
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 25 };

        var runId = (await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync())
            .GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await WaitForAsync(client, runId, r => Processed(r) >= 200);
        // From here each page takes a second: the run cannot reach the end of its orders before the cancel is honoured
        // (it was a race on a loaded machine when pages kept coming every 25 ms).
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 1_000 };
        var cancel = await client.PostAsync($"/api/runs/{runId}/cancel", null);
        // 202 when a runner holds the run (it stops after the page in flight); 200 when the cancel found it between two
        // slices, held by no runner, and ended it at once.
        Assert.Contains(cancel.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK });
        var cancelled = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(30));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        simulator.State.Faults = new SimFaults();

        // What it stored stays, and is right.
        await using var harness = new SyncHarness(storage, simulator, "runcancel");
        var orders = (await harness.SnapshotAsync(connectionId))[EntityType.Orders];
        Assert.Equal(cancelled.GetProperty("counters").GetProperty("created").GetInt64(), orders.Count);
        Assert.InRange(orders.Count, 200, Size.Orders - 1);
        var expected = Expected.For(store, EntityType.Orders);
        Assert.All(orders, o => Assert.Equal(expected[o.Key], Expected.Fingerprint(o.Value)));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{runId}/cancel", null)).StatusCode);

        // The connection is free: the next run starts and completes the data.
        var next = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId } });
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        var nextRun = await client.WaitForRunAsync((await next.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", nextRun.GetProperty("status").GetString());
        Expected.Matches(expected, (await harness.SnapshotAsync(connectionId))[EntityType.Orders], "orders after the next run");
    }
}

using FunctionsSync.Core.Sync;
using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Records;
using FunctionsSync.SelfHosted.Workers;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>
    /// A run cancelled at the instant a worker takes its job from the queue (the cancel is sent as the message is handed
    /// over, racing the worker), fifty times: every one ends cancelled, and none reads the marketplace or stores a
    /// record. Most never start; a cancel that lands between the runner's look at the run's requests and its start (the
    /// runner holds the lease, so the cancel is left for it) is seen at the first page's check, before any request.
    /// </summary>
    [Fact]
    public async Task A_run_cancelled_as_a_worker_takes_its_job_ends_cancelled_without_reading_anything_fifty_times_in_a_row()
    {
        HttpClient? client = null;
        var cancels = new System.Collections.Concurrent.ConcurrentBag<Task<HttpResponseMessage>>();
        await using var host = new HostApp(storage, "runcancelrace", new Dictionary<string, string?> { ["Workers:Count"] = "2", ["Workers:PollInterval"] = "00:00:00.020" })
        {
            TestServices = services =>
            {
                // The host's own queue, wrapped.
                var own = services.Last(d => d.ServiceType == typeof(IJobQueue)).ImplementationFactory!;
                services.AddSingleton<IJobQueue>(sp => new CancelOnReceive((IJobQueue)own(sp), runId =>
                {
                    // Kept as sent: the run may show cancelled before its answer is back.
                    var cancel = client!.PostAsync($"/api/runs/{runId}/cancel", null);
                    cancels.Add(cancel);
                    return cancel;
                }));
            },
        };
        var (api, connectionId, store) = await SetUpAsync(host, "control-race");
        client = api;

        var started = 0;
        for (var i = 0; i < 50; i++)
        {
            var triggered = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" });
            Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
            var runId = (await triggered.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
            var run = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(30));
            Assert.True(run.GetProperty("status").GetString() == "cancelled", $"run {i}: {run}");
            Assert.True(run.GetProperty("attempts").GetInt32() <= 1, $"run {i} ran more than once: {run}");
            Assert.True(run.GetProperty("marketplaceCalls").GetProperty("requests").GetInt32() == 0 && Processed(run) == 0, $"run {i} read the marketplace: {run}");
            started += run.GetProperty("attempts").GetInt32();
        }

        Assert.True(started < 10, $"{started} of 50 runs started before their cancel was seen");

        // A job may be received again (deferred while the connection was busy): its run ended already (409).
        Assert.True(cancels.Count >= 50, $"{cancels.Count} cancels");
        Assert.All(await Task.WhenAll(cancels), r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Empty(simulator.AnsweredPaths(store));
        var connection = await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync();
        Assert.All(connection.GetProperty("records").EnumerateObject(), p => Assert.Equal(0, p.Value.GetInt64()));
    }

    /// <summary>
    /// The job queue, calling back with each job's run id at the moment a worker receives it, and handing the job over
    /// once the callback is done: the cancel is accepted between the receive and the run's start, every time, rather
    /// than racing the run's first page on a loaded machine.
    /// </summary>
    private sealed class CancelOnReceive(IJobQueue inner, Func<string, Task> received) : IJobQueue
    {
        public Task EnqueueAsync(SyncJob job, TimeSpan delay, CancellationToken cancellationToken) => inner.EnqueueAsync(job, delay, cancellationToken);

        public async Task<IJobMessage?> ReceiveAsync(TimeSpan visibility, CancellationToken cancellationToken)
        {
            var message = await inner.ReceiveAsync(visibility, cancellationToken);
            if (message?.Job is { } job)
            {
                await received(job.RunId);
            }

            return message;
        }

        public Task<int?> ApproximateCountAsync(CancellationToken cancellationToken) => inner.ApproximateCountAsync(cancellationToken);

        public Task<DateTimeOffset?> OldestVisibleAsync(CancellationToken cancellationToken) => inner.OldestVisibleAsync(cancellationToken);
    }

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
        var lease = await harness.State.GetLeaseAsync(connectionId, SyncLane.Main, CancellationToken.None);
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

    /// <summary>A connection deleted while its run goes on: the run ends cancelled saying why, not as an operator's cancel.</summary>
    [Fact]
    public async Task A_connection_deleted_mid_run_ends_its_run_cancelled_with_that_reason()
    {
        await using var host = new HostApp(storage, "rundelete", new Dictionary<string, string?> { ["Sync:PageSize"] = "50" });
        var (client, connectionId, _) = await SetUpAsync(host, "control-delete");
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 25 };
        var runId = (await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync())
            .GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await WaitForAsync(client, runId, r => Processed(r) >= 100);
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 1_000 };

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/connections/{connectionId}")).StatusCode);
        var ended = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(30));
        simulator.State.Faults = new SimFaults();
        Assert.Equal("cancelled", ended.GetProperty("status").GetString());
        Assert.Equal("The connection was deleted.", ended.GetProperty("error").GetString());
    }
}

using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Functions.Http;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.FunctionsTests;

/// <summary>Pause, resume and cancel of a ConnectionSync orchestration, and a slice that fails on storage, with the data checked afterwards.</summary>
[Collection(FunctionsCollection.Name)]
public sealed class RunControlAndFaultTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> PageByPage = new()
    {
        ["Sync:MinRecordsPerWrite"] = "1",
        // Short slices: a pause or cancel is looked at between pages, and slices hand back to the orchestration often.
        ["Orchestration:SlicePages"] = "2",
        ["Sync:ControlCheckInterval"] = "00:00:00",
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_paused_run_waits_for_the_resume_event_and_then_ends_with_the_same_data_as_an_uninterrupted_run()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fpause", PageByPage);
        var (connection, store) = await app.AddStoreAsync("shopify", "fpause", new SimStoreConfig { Orders = 3_000, Products = 50, Customers = 20, Seed = 41 });
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 60 };
        var runId = await TriggerAsync(app, connection.Id);
        var state = app.Services.GetRequiredService<ISyncStateStore>();
        await Eventually.WaitForAsync(() => state.GetRunAsync(runId, CancellationToken.None), r => r?.PageSeq >= 2);

        Assert.Equal(202, (await app.ApiAsync("POST", $"/api/runs/{runId}/pause")).Status);
        // The orchestration reports the pause and waits for the event: the run is paused, part-way, and the instance is running.
        var paused = await Eventually.WaitForAsync(() => state.GetRunAsync(runId, CancellationToken.None), r => r?.Status == RunStatus.Paused);
        Assert.InRange(paused!.Counters.Created, 1, 2_999);
        await Eventually.WaitForAsync(() => app.Client.GetInstanceAsync(SyncActivities.InstanceIdFor(runId), getInputsAndOutputs: true),
            i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Running && i.SerializedCustomStatus?.Contains("Paused") == true);
        var createdWhilePaused = (await state.GetRunAsync(runId, CancellationToken.None))!.Counters.Created;
        Assert.Equal(paused.Counters.Created, createdWhilePaused);

        simulator.State.Faults = new SimFaults();
        Assert.Equal(202, (await app.ApiAsync("POST", $"/api/runs/{runId}/resume")).Status);

        var done = await app.Client.WaitForInstanceCompletionAsync(SyncActivities.InstanceIdFor(runId), getInputsAndOutputs: false, new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var run = (await state.GetRunAsync(runId, CancellationToken.None))!;
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(Expected.For(store, Core.Records.EntityType.Orders).Count, run.Entity(Core.Records.EntityType.Orders)!.Counters.Created);
        await app.AssertStoredEqualsSimulatorAsync(connection, store);
    }

    [Fact]
    public async Task Cancel_ends_the_run_cancelled_and_keeps_what_it_stored()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fcancel", PageByPage);
        var (connection, _) = await app.AddStoreAsync("woocommerce", "fcancel", new SimStoreConfig { Orders = 3_000, Products = 0, Customers = 0, Seed = 42 });
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 60 };
        var runId = await TriggerAsync(app, connection.Id);
        var state = app.Services.GetRequiredService<ISyncStateStore>();
        await Eventually.WaitForAsync(() => state.GetRunAsync(runId, CancellationToken.None), r => r?.PageSeq >= 2);

        var answer = await app.ApiAsync("POST", $"/api/runs/{runId}/cancel");
        Assert.Contains(answer.Status, new[] { 200, 202 });

        var done = await app.Client.WaitForInstanceCompletionAsync(SyncActivities.InstanceIdFor(runId), getInputsAndOutputs: false, new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var run = (await state.GetRunAsync(runId, CancellationToken.None))!;
        Assert.Equal(RunStatus.Cancelled, run.Status);
        var stored = 0;
        await foreach (var _ in app.Services.GetRequiredService<Core.Ingestion.IRecordQuery>().ListAsync(connection.Id, Core.Records.EntityType.Orders, CancellationToken.None))
        {
            stored++;
        }

        Assert.InRange(stored, 1, 2_999);
        Assert.Equal(run.Entity(Core.Records.EntityType.Orders)!.Counters.Created, stored);
    }

    [Fact]
    public async Task A_slice_that_fails_on_storage_is_retried_by_Durable_and_resumes_from_its_checkpoint_with_nothing_lost_or_doubled()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "ffault",
            new Dictionary<string, string?> { ["Sync:MinRecordsPerWrite"] = "1", ["Orchestration:SlicePages"] = "500" },
            services => FaultyCheckpoints.Decorate(services, failAt: 8));
        // REST: the resume is shown by counting its order pages.
        var (connection, store) = await app.AddStoreAsync("shopify", "ffault", new SimStoreConfig { Orders = 3_000, Products = 0, Customers = 0, Seed = 43 },
            settings: new Dictionary<string, string> { ["api"] = "rest" });
        simulator.State.ClearRequests();

        var runId = await TriggerAsync(app, connection.Id);
        var done = await app.Client.WaitForInstanceCompletionAsync(SyncActivities.InstanceIdFor(runId), getInputsAndOutputs: false, new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, app.Services.GetRequiredService<FaultyCheckpoints>().Injected);
        var run = (await app.Services.GetRequiredService<ISyncStateStore>().GetRunAsync(runId, CancellationToken.None))!;
        Assert.True(run.Status == RunStatus.Succeeded, run.Error);
        Assert.Equal(3_000, run.Entity(Core.Records.EntityType.Orders)!.Counters.Created);
        await app.AssertStoredEqualsSimulatorAsync(connection, store);
        // Resumed from the last checkpoint (page 6 of 12), not from page 1: at most the pages in flight are read twice.
        var orderRequests = simulator.State.Requests.Count(r => r.StoreId == "ffault" && r.Path.Contains("orders") && !r.Path.Contains("count"));
        Assert.InRange(orderRequests, 12, 15);
    }

    private static async Task<string> TriggerAsync(FunctionsApp app, string connectionId)
    {
        var answer = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" });
        Assert.Equal(202, answer.Status);
        return answer.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!;
    }
}

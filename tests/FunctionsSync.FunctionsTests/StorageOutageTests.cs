using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Functions.Http;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.FunctionsTests;

/// <summary>
/// The Functions app's side of a storage outage: the data account (a private Azurite, kept on disk) stops for 20 s
/// under a ConnectionSync orchestration; the slice in flight waits for it, marks the run interrupted, and the next
/// slice resumes it from its checkpoint, with the same data as an undisturbed run.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class StorageOutageTests(SimulatorFixture simulator) : IAsyncLifetime
{
    private AzuriteFixture? azurite;

    public async Task InitializeAsync() => azurite = await AzuriteFixture.StartPrivateAsync();

    public Task DisposeAsync() => azurite?.DisposeAsync() ?? Task.CompletedTask;

    [Fact]
    public async Task A_run_whose_data_storage_stops_for_20_s_is_interrupted_and_resumed_by_the_orchestration_and_ends_exact()
    {
        await using var app = await FunctionsApp.StartAsync(azurite!, simulator, "foutage", new Dictionary<string, string?> { ["Sync:MinRecordsPerWrite"] = "800" });
        var (connection, store) = await app.AddStoreAsync("woocommerce", "foutage", new SimStoreConfig { Orders = 20_000, Products = 100, Customers = 100, Seed = 44 });
        var state = app.Services.GetRequiredService<ISyncStateStore>();

        var answer = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id }, mode = "full" });
        var runId = answer.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await Eventually.WaitForAsync(() => state.GetRunAsync(runId, CancellationToken.None), r => r?.Counters.Processed >= 5_000, TimeSpan.FromMinutes(5));

        await azurite!.StopAsync();
        // While storage is away the health function says so, within its deadline.
        var health = await app.ApiAsync("GET", "/api/health");
        Assert.Equal(503, health.Status);
        Assert.Equal(["queues", "tables"], health.Json.GetProperty("down").EnumerateArray().Select(d => d.GetString()!).ToArray());
        await Outage.HoldAsync(TimeSpan.FromSeconds(20));
        await azurite.StartAsync();

        var done = await app.Client.WaitForInstanceCompletionAsync(SyncActivities.InstanceIdFor(runId), getInputsAndOutputs: false, new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var run = (await state.GetRunAsync(runId, CancellationToken.None))!;
        Assert.True(run.Status == RunStatus.Succeeded, run.Error);
        Assert.Equal(2, run.Attempts);
        Assert.Equal(Expected.For(store, EntityType.Orders).Count, run.Entity(EntityType.Orders)!.Counters.Created);
        await app.AssertStoredEqualsSimulatorAsync(connection, store);
    }
}

using DurableTask.AzureStorage;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Functions.Http;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.FunctionsTests;

/// <summary>The same full sync on the Durable Functions default backend (Azure Storage provider on Azurite).</summary>
[Collection(FunctionsCollection.Name)]
public sealed class AzureStorageBackendTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_full_sync_on_the_Azure_Storage_provider_stores_exactly_the_simulators_data()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fazs", azureStorageBackend: prefix => DurableBackend.Settings(storage.ConnectionString, prefix));
        var (connection, store) = await app.AddStoreAsync("shopify", "fazs", new SimStoreConfig { Orders = 2_000, Products = 200, Customers = 100, Seed = 51 });

        var answer = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id }, mode = "full" });
        Assert.Equal(202, answer.Status);
        var runId = answer.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!;

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var done = await app.Client.WaitForInstanceCompletionAsync(SyncActivities.InstanceIdFor(runId), false, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        await app.AssertStoredEqualsSimulatorAsync(connection, store);
    }
}

using System.Diagnostics;
using DurableTask.AzureStorage;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Functions;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// A scheduled cycle of empty stores on the Durable Azure Storage provider (Azurite) with host.json's settings, every
/// storage request counted: the task hub's (queues, history and instance tables, lease blobs) and the app's, per
/// connection, then the hub's requests a minute once the cycle is over (its queue polling and partition leases). What
/// docs/azure.md prices a cycle with; the in-memory engine of <see cref="DurableCycleScaling"/> has no storage of its own.
/// </summary>
internal static class ProviderCycle
{
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(30);

    public sealed record Result(
        int Connections,
        double Seconds,
        double AppRequestsPerConnection,
        double HubRequestsPerConnection,
        IReadOnlyList<StorageShapes.Share> HubShapes,
        double IdleHubRequestsPerMinute,
        object Settings);

    public static async Task<Result> RunAsync(string storage, SimulatorState sim, string simulatorUrl, int connections)
    {
        var prefix = $"bp{connections}" + DateTime.UtcNow.ToString("HHmmss");
        using var app = await BenchFunctionsApp.StartAsync(storage, prefix);
        await DurableCycleScaling.RegisterEmptyStoresAsync(app.Services, sim, simulatorUrl, prefix, connections);
        var hub = "hub" + prefix;
        var hubRequests = new StorageRequestCounter();
        // host.json: partitionCount 4, maxQueuePollingInterval 500 ms, 10 orchestrator and 10 activity work items;
        // lease intervals at the provider's defaults.
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hub,
            StorageAccountClientProvider = CountedStorageClients.For(storage, hub, hubRequests),
            PartitionCount = 4,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            MaxConcurrentTaskActivityWorkItems = 10,
            MaxConcurrentTaskOrchestrationWorkItems = 10,
        };
        await using var durable = await SidecarDurableHost.OnAzureStorageAsync(settings, registry => AppDurableFunctions.Register(registry, app.Services));
        Console.Error.WriteLine($"durable provider cycle: {connections} connections registered");

        var appRequests = app.Services.GetRequiredService<StorageRequestCounter>();
        var appBefore = appRequests.Count;
        var hubBefore = hubRequests.Count;
        var hubShapesBefore = hubRequests.Shapes();
        var instanceId = $"{OrchestrationNames.CycleInstanceId}-{prefix}";
        var watch = Stopwatch.StartNew();
        await durable.Client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.SyncCycle, new CycleInput(CycleKind.Scheduled, null), new Microsoft.DurableTask.StartOrchestrationOptions(instanceId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var done = await durable.Client.WaitForInstanceCompletionAsync(instanceId, true, timeout.Token);
        watch.Stop();
        var result = done.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? done.ReadOutputAs<CycleResult>()! : throw new InvalidOperationException($"bench provider cycle ended {done.RuntimeStatus}");
        if (result.Succeeded != connections)
        {
            throw new InvalidOperationException($"bench provider cycle synced {result.Succeeded} of {connections}: {string.Join("; ", result.Totals.Errors)}");
        }

        var hubCycle = hubRequests.Count - hubBefore;
        var appCycle = appRequests.Count - appBefore;
        var hubShapes = StorageShapes.Since(hubShapesBefore, hubRequests.Shapes(), connections, top: 10);

        // Idle: what the hub costs between cycles, whatever the connection count.
        var idleBefore = hubRequests.Count;
        await Task.Delay(IdleWindow);
        var idlePerMinute = (hubRequests.Count - idleBefore) * (60 / IdleWindow.TotalSeconds);
        await app.StopAsync();
        Console.Error.WriteLine($"durable provider cycle: {connections} connections in {watch.Elapsed.TotalSeconds:0.0} s");
        return new Result(connections, Math.Round(watch.Elapsed.TotalSeconds, 1), Math.Round((double)appCycle / connections, 1), Math.Round((double)hubCycle / connections, 1), hubShapes,
            Math.Round(idlePerMinute), new { settings.PartitionCount, maxQueuePollingIntervalMs = settings.MaxQueuePollingInterval.TotalMilliseconds, workItems = 10 });
    }
}

using System.Diagnostics;
using DurableTask.AzureStorage;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Functions;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Bench;

/// <summary>
/// Records/s of a full sync driven by the Functions app's orchestrations (ConnectionSync → SyncPage slices) on the
/// Azure Storage provider on Azurite ÷ records/s of the self-hosted runner on an identical store, same run.
/// </summary>
internal static class DurableSyncRatio
{
    /// <summary>The provider settings of the figure: host.json's partitionCount, and the intervals printed beside it.</summary>
    private static readonly (int Partitions, TimeSpan Polling, TimeSpan Lease) Provider = (4, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));

    public static async Task<Figure> RunAsync(string storage, SimulatorState sim, string simulatorUrl)
    {
        var config = new SimStoreConfig { Orders = 20_000, Products = 5_000, Customers = 0, Seed = 61 };

        // Reference: the self-hosted runner.
        var prefix = "bd" + DateTime.UtcNow.ToString("HHmmss");
        double selfHosted;
        await using (var services = BenchServices.Create(storage, prefix))
        {
            var connection = await Stores.RegisterAsync(services, sim, simulatorUrl, "shopify", "bench-durable-ref", config);
            var watch = Stopwatch.StartNew();
            var outcome = await services.GetRequiredService<ConnectionSyncer>().RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
            watch.Stop();
            selfHosted = Succeeded(outcome.Run).Counters.Created / watch.Elapsed.TotalSeconds;
        }

        // The Functions app as Program.cs wires it, on the Durable Functions default backend.
        var durablePrefix = prefix + "f";
        using var app = await BenchFunctionsApp.StartAsync(storage, durablePrefix, new Dictionary<string, string?> { ["Sync:PageSize"] = "200" });
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        await using var durable = await SidecarDurableHost.OnAzureStorageAsync(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = "hub" + durablePrefix,
            StorageAccountClientProvider = new StorageAccountClientProvider(storage),
            PartitionCount = Provider.Partitions,
            MaxQueuePollingInterval = Provider.Polling,
            LeaseRenewInterval = Provider.Lease,
            LeaseAcquireInterval = Provider.Lease,
        }, registry => AppDurableFunctions.Register(registry, app.Services));

        var registered = await Stores.RegisterAsync(app.Services, sim, simulatorUrl, "shopify", "bench-durable", config);
        var launched = await app.Services.GetRequiredService<RunLauncher>().QueueAsync(registered, SyncMode.Full, null, RunTrigger.Manual, CancellationToken.None);
        var run = launched.Run ?? throw new InvalidOperationException("bench run was not queued");
        var activities = app.Services.GetRequiredService<SyncActivities>();
        var durableWatch = Stopwatch.StartNew();
        await durable.Client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.ConnectionSync, activities.InputFor(run), new StartOrchestrationOptions(SyncActivities.InstanceIdFor(run.RunId)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var done = await durable.Client.WaitForInstanceCompletionAsync(SyncActivities.InstanceIdFor(run.RunId), false, timeout.Token);
        durableWatch.Stop();
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"bench orchestration ended {done.RuntimeStatus}");
        }

        var finished = Succeeded(await app.Services.GetRequiredService<ISyncStateStore>().GetRunAsync(run.RunId, CancellationToken.None));
        var durableRate = finished.Counters.Created / durableWatch.Elapsed.TotalSeconds;
        await app.StopAsync();
        return new Figure("durable_sync_ratio", durableRate / selfHosted,
            new
            {
                durableRecordsPerSecond = Math.Round(durableRate),
                selfHostedRecordsPerSecond = Math.Round(selfHosted),
                records = finished.Counters.Created,
                durableSeconds = Math.Round(durableWatch.Elapsed.TotalSeconds, 2),
                provider = new { partitionCount = Provider.Partitions, maxQueuePollingIntervalMs = Provider.Polling.TotalMilliseconds, leaseIntervalMs = Provider.Lease.TotalMilliseconds },
            },
            ">= 0.5");
    }

    private static SyncRun Succeeded(SyncRun? run) =>
        run is { Status: RunStatus.Succeeded } ? run : throw new InvalidOperationException($"bench sync did not succeed: {run?.Status} {run?.Error}");
}

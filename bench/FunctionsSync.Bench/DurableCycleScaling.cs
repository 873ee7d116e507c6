using FunctionsSync.Core.Scheduling;
using System.Diagnostics;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Functions;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Bench;

/// <summary>
/// The time of a scheduled SyncCycle of 4,000 connections ÷ 4 × the time of one of 1,000 (empty simulated stores, the
/// in-memory Durable engine, the app's orchestrations and activities on Azurite): 1.0 when the fan-out scales
/// linearly. Beside it, the largest history any instance reached (every history the worker replayed, seen on its
/// gRPC work-item stream), which must not grow with the connection count.
/// </summary>
internal static class DurableCycleScaling
{
    private const int ConnectionsPerOrganization = 10;

    /// <summary>host.json's maxConcurrentOrchestratorFunctions and maxConcurrentActivityFunctions.</summary>
    private const int Concurrency = 10;

    /// <summary>
    /// <c>durable_cycle_scaling</c>, and <c>cycle_throughput_ratio</c> from its larger cycle: connections per second on
    /// the Durable engine ÷ the same cycle (a fresh set of as many empty stores) on the self-hosted runtime.
    /// </summary>
    /// <remarks>Prints each figure as soon as it is known: the Durable one before the self-hosted cycle starts.</remarks>
    public static async Task RunAsync(string storage, SimulatorState sim, string simulatorUrl, int smallSize = 1_000)
    {
        var small = await CycleAsync(storage, sim, simulatorUrl, smallSize);
        var large = await CycleAsync(storage, sim, simulatorUrl, 4 * smallSize);
        var scaling = new Figure("durable_cycle_scaling", large.Seconds / (4 * small.Seconds),
            new { connections = new[] { smallSize, 4 * smallSize }, seconds = new[] { Math.Round(small.Seconds, 2), Math.Round(large.Seconds, 2) } },
            "<= 1.3",
            new
            {
                // The largest history any instance reached, per connection count: must not grow with it.
                largestHistory = new[] { small.Largest.Values.Max(), large.Largest.Values.Max() },
                largestHistoryByOrchestration = new { small = small.Largest, large = large.Largest },
                lanes = large.Lanes,
                runsPerLaneGeneration = new OrchestrationOptions().RunsPerLaneGeneration,
                workItemConcurrency = Concurrency,
                // One per-run storage read after each cycle (CursorReadProbe): must not grow with the connection count.
                cursorReadMedianMs = new[] { small.CursorReadMs, large.CursorReadMs },
                appStorageRequestsPerConnection = new[] { Math.Round((double)small.StorageRequests / smallSize, 1), Math.Round((double)large.StorageRequests / (4 * smallSize), 1) },
                // Where the app's storage time went, per request shape, at each size: a mean that grows with the size
                // is a request the store answers by looking through more than its row.
                storageTimeByShape = new { small = small.Shapes, large = large.Shapes },
                // CPU milliseconds per connection, of the bench process (app, engine, simulator) and of Azurite.
                cpuMsPerConnection = new { bench = new[] { small.CpuMs.Bench, large.CpuMs.Bench }, azurite = new[] { small.CpuMs.Azurite, large.CpuMs.Azurite } },
            });
        scaling.Print();
        var durableRate = 4 * smallSize / large.Seconds;
        (double Seconds, long StorageRequests, double CursorReadMs, IReadOnlyList<StorageShapes.Share> Shapes, (double Bench, double? Azurite) CpuMs) selfHosted;
        try
        {
            selfHosted = await SelfHostedCycle.RunAsync(storage, sim, simulatorUrl, 4 * smallSize, Concurrency);
        }
        catch (TimeoutException ex)
        {
            // Azurite's queue receive looks through every message, so at 4,000 jobs the self-hosted side can outlast
            // the bench's patience: its rate is then at most connections ÷ the time waited, and the ratio at least this.
            var atMost = 4 * smallSize / SelfHostedCycle.Timeout.TotalSeconds;
            new Figure("cycle_throughput_ratio", durableRate / atMost,
                new { connections = 4 * smallSize, durableConnectionsPerSecond = Math.Round(durableRate, 2), durableSeconds = Math.Round(large.Seconds, 2), selfHostedConnectionsPerSecondAtMost = Math.Round(atMost, 2) },
                ">= 0.5", new { lowerBound = true, why = ex.Message }).Print();
            return;
        }

        var selfHostedRate = 4 * smallSize / selfHosted.Seconds;
        var throughput = new Figure("cycle_throughput_ratio", durableRate / selfHostedRate,
            new
            {
                connections = 4 * smallSize,
                durableConnectionsPerSecond = Math.Round(durableRate, 2),
                durableSeconds = Math.Round(large.Seconds, 2),
                selfHostedConnectionsPerSecond = Math.Round(selfHostedRate, 2),
                selfHostedSeconds = Math.Round(selfHosted.Seconds, 2),
            },
            ">= 0.5",
            new
            {
                concurrentRuns = Concurrency,
                // The app's own requests to Azure Storage per connection (tables, and the self-hosted job queue); the
                // Durable engine's own (its queues and history) are not in it: the bench runs it in memory.
                appStorageRequestsPerConnection = new
                {
                    durable = Math.Round((double)large.StorageRequests / (4 * smallSize), 1),
                    selfHosted = Math.Round((double)selfHosted.StorageRequests / (4 * smallSize), 1),
                },
                cursorReadMedianMs = new { durable = large.CursorReadMs, selfHosted = selfHosted.CursorReadMs },
                storageTimeByShape = new { durable = large.Shapes, selfHosted = selfHosted.Shapes },
                cpuMsPerConnection = new { durable = new { bench = large.CpuMs.Bench, azurite = large.CpuMs.Azurite }, selfHosted = new { bench = selfHosted.CpuMs.Bench, azurite = selfHosted.CpuMs.Azurite } },
            });
        throughput.Print();
    }

    /// <summary>Empty Shopify stores at the simulator, each registered as a connection, ten to an organization.</summary>
    public static Task RegisterEmptyStoresAsync(IServiceProvider services, SimulatorState sim, string simulatorUrl, string prefix, int connections)
    {
        var store = services.GetRequiredService<IConnectionStore>();
        return Parallel.ForEachAsync(Enumerable.Range(0, connections), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var storeId = $"{prefix}-{i}";
            var credentials = new Dictionary<string, string> { ["accessToken"] = $"token-{storeId}" };
            sim.PutStore("shopify", storeId, new SimStoreConfig { Orders = 0, Products = 0, Customers = 0, Credentials = credentials });
            await store.RegisterAsync(new ConnectionRegistration(
                $"org-{i / ConnectionsPerOrganization}", "shopify", storeId, storeId, credentials, new Dictionary<string, string> { ["baseUrl"] = $"{simulatorUrl}/shopify/{storeId}" }), ct);
        });
    }

    private static async Task<(double Seconds, IReadOnlyDictionary<string, int> Largest, int Lanes, long StorageRequests, double CursorReadMs, IReadOnlyList<StorageShapes.Share> Shapes, (double Bench, double? Azurite) CpuMs)> CycleAsync(string storage, SimulatorState sim, string simulatorUrl, int connections)
    {
        var prefix = $"bc{connections}" + DateTime.UtcNow.ToString("HHmmss");
        using var app = await BenchFunctionsApp.StartAsync(storage, prefix);
        await RegisterEmptyStoresAsync(app.Services, sim, simulatorUrl, prefix, connections);

        var meter = new HistoryMeter();
        await using var durable = await SidecarDurableHost.InMemoryAsync(registry => AppDurableFunctions.Register(registry, app.Services), Concurrency, meter);
        var client = durable.Client;
        var instanceId = $"{OrchestrationNames.CycleInstanceId}-{prefix}";
        Console.Error.WriteLine($"durable_cycle_scaling: {connections} connections registered");
        var requests = app.Services.GetRequiredService<StorageRequestCounter>();
        var requestsBefore = requests.Count;
        var shapesBefore = requests.Shapes();
        var cpuBefore = ProcessCpu.Now();
        var watch = Stopwatch.StartNew();
        await client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.SyncCycle, new CycleInput(CycleKind.Scheduled, null), new StartOrchestrationOptions(instanceId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var done = await client.WaitForInstanceCompletionAsync(instanceId, true, timeout.Token);
        watch.Stop();
        var cpuMs = ProcessCpu.PerConnectionSince(cpuBefore, connections);
        var result = done.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? done.ReadOutputAs<CycleResult>()! : throw new InvalidOperationException($"bench cycle ended {done.RuntimeStatus}");
        if (result.Succeeded != connections)
        {
            throw new InvalidOperationException($"bench cycle synced {result.Succeeded} of {connections}: {string.Join("; ", result.Totals.Errors)}");
        }

        var shapes = StorageShapes.Since(shapesBefore, requests.Shapes(), connections);
        var cursorReadMs = await CursorReadProbe.MedianMsAsync(app.Services);
        await app.StopAsync();
        Console.Error.WriteLine($"durable_cycle_scaling: {connections} connections in {watch.Elapsed.TotalSeconds:0.0} s ({meter.Streamed} histories streamed)");
        return (watch.Elapsed.TotalSeconds, meter.LargestByOrchestration, result.Lanes, requests.Count - requestsBefore, cursorReadMs, shapes, cpuMs);
    }
}

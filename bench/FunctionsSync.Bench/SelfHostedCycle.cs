using System.Diagnostics;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// The self-hosted side of <c>cycle_throughput_ratio</c>: the scheduled cycle <see cref="DurableCycleScaling"/> runs on
/// the Durable engine (as many empty stores, ten to an organization), planned by the scheduler's
/// <see cref="CyclePlanner"/> with its starts not spread (the Durable cycle starts its lanes at once) and run by the
/// runtime's queue workers, as many as the Durable worker's concurrent work items; timed from the cycle's start until
/// every connection's run has ended, each of which must have succeeded.
/// </summary>
internal static class SelfHostedCycle
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <returns>Seconds from the cycle's start until its last run ended, the storage requests the runtime sent meanwhile, <see cref="CursorReadProbe"/> after it, and where the storage time went.</returns>
    public static async Task<(double Seconds, long StorageRequests, double CursorReadMs, IReadOnlyList<StorageShapes.Share> Shapes, (double Bench, double? Azurite) CpuMs)> RunAsync(string storage, SimulatorState sim, string simulatorUrl, int connections, int workers)
    {
        var prefix = $"bs{connections}" + DateTime.UtcNow.ToString("HHmmss");
        await using var app = await BenchHost.StartAsync(storage, prefix, new Dictionary<string, string?>
        {
            ["Marketplaces:RateLimitsEnabled"] = "false",
            ["Marketplaces:AllowedHosts:0"] = "127.0.0.1",
            // As the Durable side's settings (BenchFunctionsApp): a store's first run is a full one, through bulk queries.
            ["Marketplaces:Shopify:BulkPollInterval"] = "00:00:00.100",
            ["Workers:Count"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await DurableCycleScaling.RegisterEmptyStoresAsync(app.Services, sim, simulatorUrl, prefix, connections);
        Console.Error.WriteLine($"cycle_throughput_ratio: {connections} connections registered (self-hosted)");

        var state = app.Services.GetRequiredService<ISyncStateStore>();
        var requests = app.Services.GetRequiredService<StorageRequestCounter>();
        var requestsBefore = requests.Count;
        var shapesBefore = requests.Shapes();
        var cpuBefore = ProcessCpu.Now();
        var watch = Stopwatch.StartNew();
        var cycle = await app.Services.GetRequiredService<CyclePlanner>().RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);
        if (cycle.Queued != connections)
        {
            throw new InvalidOperationException($"bench self-hosted cycle planned {cycle.Queued} of {connections} runs");
        }

        // The bench's own looks (this flow's requests from here on) are not the cycle's. While jobs remain (in flight
        // ones included: a job's message is deleted when its run ends) only the queue's count is read, which costs the
        // same at any size; then the states, to see every run ended and succeeded.
        var watching = StorageRequestCounter.BeginTally();
        (double Bench, double? Azurite) cpuMs = default;
        var queue = app.Services.GetRequiredService<IJobQueue>();
        while (true)
        {
            if (watch.Elapsed > Timeout)
            {
                throw new TimeoutException($"bench self-hosted cycle: jobs still queued after {Timeout.TotalMinutes} min");
            }

            if (await queue.ApproximateCountAsync(CancellationToken.None) is 0)
            {
                var states = await state.ListConnectionStatesAsync(CancellationToken.None);
                var ended = states.Values.Where(s => s.ActiveRunId is null && s.LastRunFinishedAt is not null).ToList();
                if (ended.Count >= connections)
                {
                    watch.Stop();
                    cpuMs = ProcessCpu.PerConnectionSince(cpuBefore, connections);
                    if (ended.FirstOrDefault(s => s.LastRunStatus != RunStatus.Succeeded) is { } failed)
                    {
                        throw new InvalidOperationException($"bench self-hosted cycle: {failed.ConnectionId}'s run ended {failed.LastRunStatus}");
                    }

                    break;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Console.Error.WriteLine($"cycle_throughput_ratio: {connections} connections in {watch.Elapsed.TotalSeconds:0.0} s (self-hosted)");
        var cycleRequests = requests.Count - requestsBefore - watching.Requests;
        // The shapes include the bench's looks at the queue's count (GET syncjobs resource), a few a second.
        var shapes = StorageShapes.Since(shapesBefore, requests.Shapes(), connections);
        return (watch.Elapsed.TotalSeconds, cycleRequests, await CursorReadProbe.MedianMsAsync(app.Services), shapes, cpuMs);
    }
}

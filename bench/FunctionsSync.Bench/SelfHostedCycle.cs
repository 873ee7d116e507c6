using System.Diagnostics;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using FunctionsSync.Simulator.Data;
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
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <returns>Seconds from the cycle's start until its last run ended.</returns>
    public static async Task<double> RunAsync(string storage, SimulatorState sim, string simulatorUrl, int connections, int workers)
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
        var watch = Stopwatch.StartNew();
        var cycle = await app.Services.GetRequiredService<CyclePlanner>().RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);
        if (cycle.Queued != connections)
        {
            throw new InvalidOperationException($"bench self-hosted cycle planned {cycle.Queued} of {connections} runs");
        }

        while (true)
        {
            var states = await state.ListConnectionStatesAsync(CancellationToken.None);
            var ended = states.Values.Where(s => s.ActiveRunId is null && s.LastRunFinishedAt is not null).ToList();
            if (ended.Count >= connections)
            {
                watch.Stop();
                if (ended.FirstOrDefault(s => s.LastRunStatus != RunStatus.Succeeded) is { } failed)
                {
                    throw new InvalidOperationException($"bench self-hosted cycle: {failed.ConnectionId}'s run ended {failed.LastRunStatus}");
                }

                break;
            }

            if (watch.Elapsed > Timeout)
            {
                throw new TimeoutException($"bench self-hosted cycle: {ended.Count} of {connections} runs ended in {Timeout.TotalMinutes} min");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Console.Error.WriteLine($"cycle_throughput_ratio: {connections} connections in {watch.Elapsed.TotalSeconds:0.0} s (self-hosted)");
        return watch.Elapsed.TotalSeconds;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsSync.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// Where a run's time goes, from its own spans while this listens: busy seconds fetching (<c>sync.page</c>, a write's
/// worth of marketplace pages), writing records (<c>sync.ingest</c>) and checkpointing (<c>sync.checkpoint</c>), and
/// how long after the run began the first records were being written. The stages overlap (the page pipeline fetches,
/// writes and checkpoints at once), so busy time is per stage, not a share of one clock.
/// </summary>
internal sealed class SpanTimes : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentDictionary<string, long> ticks = new();
    private readonly ConcurrentDictionary<string, int> counts = new();
    private DateTime? runStarted;
    private DateTime? firstIngest;
    private readonly ConcurrentDictionary<string, (DateTime From, DateTime To)> feeds = new();
    private readonly TimeSpan processCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double? machineCpu = MachineCpuSeconds();
    private readonly long allocated = GC.GetTotalAllocatedBytes();
    private readonly TimeSpan gcPause = GC.GetTotalPauseDuration();
    private readonly int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    public SpanTimes()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SyncTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                lock (this)
                {
                    if (activity.OperationName == "sync.run")
                    {
                        runStarted ??= activity.StartTimeUtc;
                    }
                    else if (activity.OperationName == "sync.ingest")
                    {
                        firstIngest ??= activity.StartTimeUtc;
                    }
                }
            },
            ActivityStopped = activity =>
            {
                ticks.AddOrUpdate(activity.OperationName, activity.Duration.Ticks, (_, sum) => sum + activity.Duration.Ticks);
                if (activity.OperationName == "sync.ingest" && activity.GetTagItem("functionssync.entity_type") is string feed)
                {
                    var span = (activity.StartTimeUtc, activity.StartTimeUtc + activity.Duration);
                    feeds.AddOrUpdate(feed, span, (_, was) => (was.From < span.Item1 ? was.From : span.Item1, was.To > span.Item2 ? was.To : span.Item2));
                }

                counts.AddOrUpdate(activity.OperationName, 1, (_, n) => n + 1);
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The breakdown of what ran while this listened, for a figure's detail.</summary>
    public object Breakdown(TimeSpan wall)
    {
        double Busy(string name) => Math.Round(TimeSpan.FromTicks(ticks.GetValueOrDefault(name)).TotalSeconds, 2);
        return new
        {
            wallSeconds = Math.Round(wall.TotalSeconds, 2),
            firstRecordAfterSeconds = runStarted is { } start && firstIngest is { } first ? Math.Round((first - start).TotalSeconds, 2) : (double?)null,
            fetchBusySeconds = Busy("sync.page"),
            fetches = counts.GetValueOrDefault("sync.page"),
            marketplaceRequestSeconds = Busy("marketplace.request"),
            ingestBusySeconds = Busy("sync.ingest"),
            writes = counts.GetValueOrDefault("sync.ingest"),
            checkpointBusySeconds = Busy("sync.checkpoint"),
            checkpoints = counts.GetValueOrDefault("sync.checkpoint"),
            // Each feed's writes: from the first begun to the last ended, in seconds after the run began.
            feedWrites = runStarted is { } began
                ? feeds.OrderBy(f => f.Value.From).ToDictionary(f => f.Key, f => new[] { Math.Round((f.Value.From - began).TotalSeconds, 2), Math.Round((f.Value.To - began).TotalSeconds, 2) })
                : null,
            // CPU: this process (engine, adapters and the simulator) and the whole machine (Azurite's share is the rest).
            processCpuSeconds = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - processCpu).TotalSeconds, 2),
            machineCpuSeconds = MachineCpuSeconds() - machineCpu is { } machine ? Math.Round(machine, 2) : (double?)null,
            allocatedMb = (GC.GetTotalAllocatedBytes() - allocated) >> 20,
            gcPauseSeconds = Math.Round((GC.GetTotalPauseDuration() - gcPause).TotalSeconds, 2),
            collectionsByGeneration = collections.Select((n, generation) => GC.CollectionCount(generation) - n).ToArray(),
        };
    }

    /// <summary>CPU seconds every core of the machine spent busy since boot (Linux's /proc/stat), or null elsewhere.</summary>
    private static double? MachineCpuSeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks (USER_HZ, 100 on Linux).
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var busy = fields.Sum() - fields[3] - (fields.Length > 4 ? fields[4] : 0);
        return busy / 100.0;
    }

    public void Dispose() => listener.Dispose();
}

/// <summary>A full sync of one connection, timed, with where its time went; it must succeed.</summary>
internal static class TimedFullSync
{
    private static bool warm;

    /// <summary>
    /// Full syncs of a store the size <c>ingest_ratio</c> times, one on each Shopify path (bulk, then REST-paged), once
    /// per bench process, before anything is timed: a service syncs all day, so what is measured is its steady state.
    /// Without it the first full sync of the process ran about twice as slow as the third (JIT tiers, the thread pool
    /// growing), which landed on whichever path a figure happened to time first.
    /// </summary>
    public static async Task WarmUpAsync(string storage, Simulator.Data.SimulatorState sim, string simulatorUrl)
    {
        if (warm)
        {
            return;
        }

        foreach (var api in new[] { "graphql", "rest" })
        {
            var prefix = "bw" + api[0] + DateTime.UtcNow.ToString("HHmmss");
            await using var services = BenchServices.Create(storage, prefix);
            var connection = await Stores.RegisterAsync(services, sim, simulatorUrl, "shopify", "bench-warm-" + api,
                new Simulator.Data.SimStoreConfig { Orders = 20_000, Products = 5_000, Customers = 2_000, Seed = 11 }, new Dictionary<string, string> { ["api"] = api });
            await RunAsync(services, connection.Id, $"the warm-up store ({api})");
        }

        warm = true;
    }

    public static async Task<(Core.Runs.SyncRun Run, TimeSpan Elapsed, object Breakdown)> RunAsync(IServiceProvider services, string connectionId, string what)
    {
        using var spans = new SpanTimes();
        var watch = Stopwatch.StartNew();
        var outcome = await services.GetRequiredService<Core.Sync.ConnectionSyncer>().RunAsync(new Core.Sync.SyncRequest(connectionId, Core.Runs.SyncMode.Full), CancellationToken.None);
        watch.Stop();
        if (outcome.Run?.Status != Core.Runs.RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"bench sync of {what} did not succeed: {outcome.Run?.Error}");
        }

        return (outcome.Run, watch.Elapsed, spans.Breakdown(watch.Elapsed));
    }
}

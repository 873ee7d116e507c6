using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsSync.Bench;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using FunctionsSync.Simulator;
using FunctionsSync.Simulator.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using FunctionsSync.Storage.Tables;

// FunctionsSync benchmark: scripts/bench.sh starts Azurite and runs this in Release.
//   FunctionsSync.Bench --storage <connection string> [--only name]
//   FunctionsSync.Bench --child-full-sync --storage <cs> --simulator <url> --connection <id> --prefix <p>   (the 300k run)
var arguments = Args.Parse(args);
var storage = arguments.Required("storage");

if (arguments.Has("child-full-sync"))
{
    return await ChildFullSync.RunAsync(storage, arguments.Required("prefix"), arguments.Required("connection"));
}

var only = arguments.Optional("only");
await using var simulator = SimulatorApp.Build([], o => o.RateLimits = false);
simulator.Urls.Add("http://127.0.0.1:0");
await simulator.StartAsync();
var simulatorUrl = simulator.Urls.First().TrimEnd('/');
var sim = simulator.State();

if (only == "fetch_only")
{
    await using var services = BenchServices.Create(storage, "bfo");
    var connection = await Stores.RegisterAsync(services, sim, simulatorUrl, "shopify", "bench-fetch", new SimStoreConfig { Orders = 20_000, Products = 10, Customers = 10, Seed = 3 }, new Dictionary<string, string> { ["api"] = "rest" });
    var adapter = services.GetRequiredService<IMarketplaceAdapterRegistry>().Get("shopify");
    var watch = Stopwatch.StartNew();
    string? token = null;
    var n = 0;
    do
    {
        var page = await adapter.FetchPageAsync(connection, new FetchRequest(EntityType.Orders, null, token, 250), CancellationToken.None);
        n += page.Records.Count;
        token = page.NextPageToken;
    }
    while (token is not null);
    Console.WriteLine($"fetch only: {n} records in {watch.Elapsed.TotalSeconds:0.00} s = {n / watch.Elapsed.TotalSeconds:0}/s");
    watch.Restart();
    var records = new List<CanonicalRecord>();
    token = null;
    do
    {
        var page = await adapter.FetchPageAsync(connection, new FetchRequest(EntityType.Orders, null, token, 250), CancellationToken.None);
        records.AddRange(page.Records);
        token = page.NextPageToken;
    }
    while (token is not null);
    watch.Restart();
    foreach (var r in records)
    {
        _ = RecordJson.Serialize(r);
        _ = RecordJson.ContentHash(r);
    }

    Console.WriteLine($"serialize+hash: {records.Count / watch.Elapsed.TotalSeconds:0}/s");
    return 0;
}

if (only is null or "ingest_ratio")
{
    (await IngestRatio.RunAsync(storage, sim, simulatorUrl)).Print();
}

if (only is null or "sync_size_scaling")
{
    (await SyncSizeScaling.RunAsync(storage, sim, simulatorUrl)).Print();
}

if (only is null or "notified_freshness_p95_s")
{
    (await NotifiedFreshness.RunAsync(storage, sim, simulatorUrl)).Print();
}

if (only is null or "rate_limit_utilization")
{
    (await RateLimitUtilization.RunAsync(storage, sim, simulatorUrl)).Print();
}

if (only is null or "graphql_cost_utilization")
{
    (await GraphQlCostUtilization.RunAsync(storage, sim, simulatorUrl)).Print();
}

if (only is null or "amazon_full_sync_speedup")
{
    (await AmazonFullSyncSpeedup.RunAsync(storage, sim, simulatorUrl)).Print();
}

if (only is null or "full_sync_300k_peak_rss_mb" or "shopify_bulk_300k_peak_rss_mb" or "medipim_300k_peak_rss_mb")
{
    foreach (var figure in await FullSync300k.RunAsync(storage, sim, simulatorUrl, only))
    {
        figure.Print();
    }
}

if (only is null or "durable_sync_ratio")
{
    (await DurableSyncRatio.RunAsync(storage, sim, simulatorUrl)).Print();
}

if (only is null or "durable_cycle_scaling" or "cycle_throughput_ratio")
{
    // --cycle-size N: the smaller cycle's connection count (default 1,000), for a quick look.
    await DurableCycleScaling.RunAsync(storage, sim, simulatorUrl, int.Parse(arguments.Optional("cycle-size") ?? "1000"));
}

if (only is null or "api_10k_latency_ratio")
{
    (await ApiLatency.RunAsync(storage)).Print();
}

if (only is null or "schedule_10k_ratio" or "plan_history_ratio")
{
    foreach (var figure in await Schedule10k.RunAsync(storage))
    {
        figure.Print();
    }
}

await simulator.StopAsync();
return 0;

namespace FunctionsSync.Bench
{
    internal sealed record Args(Dictionary<string, string?> Values)
    {
        public static Args Parse(string[] args)
        {
            var values = new Dictionary<string, string?>();
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    var key = args[i][2..];
                    values[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
                }
            }

            return new Args(values);
        }

        public bool Has(string key) => Values.ContainsKey(key);

        public string? Optional(string key) => Values.GetValueOrDefault(key);

        public string Required(string key) => Values.GetValueOrDefault(key) ?? throw new ArgumentException($"--{key} is required");
    }

    internal static class Stores
    {
        public static async Task<Connection> RegisterAsync(IServiceProvider services, SimulatorState sim, string simulatorUrl, string marketplace, string storeId, SimStoreConfig config, Dictionary<string, string>? settings = null)
        {
            var credentials = new Dictionary<string, string>
            {
                ["accessToken"] = $"token-{storeId}", ["consumerKey"] = $"ck-{storeId}", ["consumerSecret"] = $"cs-{storeId}", ["apiKeyId"] = $"id-{storeId}", ["apiKeySecret"] = $"secret-{storeId}",
            };
            sim.PutStore(marketplace, storeId, config with { Credentials = credentials });
            var all = new Dictionary<string, string> { ["baseUrl"] = $"{simulatorUrl}/{marketplace}/{storeId}" };
            foreach (var (k, v) in settings ?? [])
            {
                all[k] = v;
            }

            var result = await services.GetRequiredService<IConnectionStore>().RegisterAsync(
                new ConnectionRegistration("bench-org", marketplace, storeId, storeId, credentials, all), CancellationToken.None);
            return result.Connection;
        }
    }

    /// <summary>
    /// End-to-end full sync throughput ÷ raw batch-insert throughput of the same records on the same Azurite, on the
    /// default path (Shopify bulk operations) and, beside it, the same store paged by REST; each with where its time
    /// went (<see cref="SpanTimes"/>).
    /// </summary>
    internal static class IngestRatio
    {
        public static async Task<Figure> RunAsync(string storage, SimulatorState sim, string simulatorUrl)
        {
            await TimedFullSync.WarmUpAsync(storage, sim, simulatorUrl);
            var bulk = await MeasureAsync(storage, sim, simulatorUrl, "bi", null);
            var rest = await MeasureAsync(storage, sim, simulatorUrl, "bj", "rest");
            return new Figure("ingest_ratio", bulk.Ratio, new
            {
                e2eRecordsPerSecond = Math.Round(bulk.EndToEnd), rawInsertRecordsPerSecond = Math.Round(bulk.Raw), bulk.Records,
                restPaged = new { ratio = Math.Round(rest.Ratio, 3), e2eRecordsPerSecond = Math.Round(rest.EndToEnd), rawInsertRecordsPerSecond = Math.Round(rest.Raw) },
            }, ">= 0.8", new { bulk = bulk.Breakdown, restPaged = rest.Breakdown });
        }

        private static async Task<(double Ratio, double EndToEnd, double Raw, long Records, object Breakdown)> MeasureAsync(
            string storage, SimulatorState sim, string simulatorUrl, string tag, string? api)
        {
            var prefix = tag + DateTime.UtcNow.ToString("HHmmss");
            await using var services = BenchServices.Create(storage, prefix);
            var storeId = "bench-ingest-" + tag;
            var connection = await Stores.RegisterAsync(services, sim, simulatorUrl, "shopify", storeId, new SimStoreConfig { Orders = 20_000, Products = 5_000, Customers = 2_000, Seed = 3 },
                api is null ? null : new Dictionary<string, string> { ["api"] = api });
            var (run, elapsed, breakdown) = await TimedFullSync.RunAsync(services, connection.Id, storeId);
            var records = run.Counters.Created;
            var e2e = records / elapsed.TotalSeconds;

            // The same rows, written raw: batches of 100 per partition, one after another like the syncer's writes.
            var (rows, rawElapsed) = await services.GetRequiredService<StorageProbe>().CopyTableRawAsync(TableNames.Records, "rawcopy", CancellationToken.None);
            var raw = rows / rawElapsed.TotalSeconds;
            return (e2e / raw, e2e, raw, records, breakdown);
        }
    }

    /// <summary>Requests/s a Shopify connection achieves ÷ what the store's bucket (40, leaking 20/s) allows, with the 429 share.</summary>
    internal static class RateLimitUtilization
    {
        public static async Task<Figure> RunAsync(string storage, SimulatorState sim, string simulatorUrl)
        {
            var prefix = "br" + DateTime.UtcNow.ToString("HHmmss");
            await using var services = BenchServices.Create(storage, prefix, new Dictionary<string, string?> { ["Marketplaces:RateLimitsEnabled"] = "true" });
            var storeId = "bench-rate";
            var connection = await Stores.RegisterAsync(services, sim, simulatorUrl, "shopify", storeId,
                new SimStoreConfig { Orders = 50_000, Products = 10, Customers = 10, RateLimit = new SimRateLimit(40, 20) },
                // The REST bucket is what this figure measures (GraphQL's cost points: graphql_cost_utilization).
                new Dictionary<string, string> { ["rateLimitPerSecond"] = "20", ["api"] = "rest" });
            var adapter = services.GetRequiredService<IMarketplaceAdapterRegistry>().Get("shopify");
            sim.RateLimitsEnabled = true;
            sim.ClearRequests();
            var duration = TimeSpan.FromSeconds(20);
            var watch = Stopwatch.StartNew();
            string? token = null;
            try
            {
                while (watch.Elapsed < duration)
                {
                    var page = await adapter.FetchPageAsync(connection, new FetchRequest(EntityType.Orders, null, token, 1), CancellationToken.None);
                    token = page.NextPageToken;
                }
            }
            finally
            {
                sim.RateLimitsEnabled = false;
            }

            watch.Stop();
            var requests = sim.Requests.Where(r => r.StoreId == storeId).ToList();
            var ok = requests.Count(r => r.Status == 200);
            var limited = requests.Count(r => r.Status == 429);
            var seconds = watch.Elapsed.TotalSeconds;
            var allowedPerSecond = (40 + 20 * seconds) / seconds;
            var achieved = ok / seconds;
            return new Figure("rate_limit_utilization", achieved / allowedPerSecond,
                new { achievedRequestsPerSecond = Math.Round(achieved, 2), allowedRequestsPerSecond = Math.Round(allowedPerSecond, 2), share429 = requests.Count == 0 ? 0 : Math.Round((double)limited / requests.Count, 4), requests = requests.Count },
                ">= 0.9 with <= 1% 429");
        }
    }

    /// <summary>
    /// Peak working set of a separate process fully syncing a 300,000-product store (products and prices); reference:
    /// the same process idle. Twice: a WooCommerce catalogue of simple products, paged (full_sync_300k_peak_rss_mb),
    /// and a Shopify one read through bulk queries whose files are ungrouped, as from Admin API 2026-01, and grouped
    /// on disk by the adapter (shopify_bulk_300k_peak_rss_mb); and a MediPim catalogue streamed, one JSON line per product
    /// read as it arrives (medipim_300k_peak_rss_mb).
    /// </summary>
    internal static class FullSync300k
    {
        /// <param name="only">One of the three figures (its store alone is synced; full_sync_300k_peak_rss_mb runs all three), or null for all.</param>
        public static async Task<Figure[]> RunAsync(string storage, SimulatorState sim, string simulatorUrl, string? only)
        {
            var prefix = "bf" + DateTime.UtcNow.ToString("HHmmss");
            string woo, shopify, medipim;
            await using (var services = BenchServices.Create(storage, prefix))
            {
                // Simple products: a variable product's variations are one request each, a different measure.
                woo = (await Stores.RegisterAsync(services, sim, simulatorUrl, "woocommerce", "bench-300k", new SimStoreConfig { Orders = 0, Products = 300_000, Customers = 0, Seed = 5, MaxVariants = 1 })).Id;
                shopify = (await Stores.RegisterAsync(services, sim, simulatorUrl, "shopify", "bench-300k-bulk", new SimStoreConfig { Orders = 0, Products = 300_000, Customers = 0, Seed = 5, BulkPolls = 1 })).Id;
                medipim = (await Stores.RegisterAsync(services, sim, simulatorUrl, "medipim", "bench-300k-medipim", new SimStoreConfig { Orders = 0, Products = 300_000, Customers = 0, Seed = 5 })).Id;
            }

            var idle = await ChildAsync(storage, prefix, woo, idle: true);
            var figures = new List<Figure>();
            foreach (var (name, connectionId) in new[] { ("full_sync_300k_peak_rss_mb", woo), ("shopify_bulk_300k_peak_rss_mb", shopify), ("medipim_300k_peak_rss_mb", medipim) })
            {
                if (only is not (null or "full_sync_300k_peak_rss_mb") && only != name)
                {
                    continue;
                }

                var watch = Stopwatch.StartNew();
                var full = await ChildAsync(storage, prefix, connectionId, idle: false);
                figures.Add(new Figure(name, full.PeakMb, new { idleProcessPeakMb = idle.PeakMb, records = full.Records, seconds = Math.Round(watch.Elapsed.TotalSeconds, 1) }, "<= 300"));
            }

            return [.. figures];
        }

        private static async Task<(double PeakMb, long Records)> ChildAsync(string storage, string prefix, string connectionId, bool idle)
        {
            var start = new ProcessStartInfo("dotnet", $"\"{typeof(FullSync300k).Assembly.Location}\" --child-full-sync --storage \"{storage}\" --prefix {prefix} --connection {(idle ? "none" : connectionId)}")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var line = output.Split('\n').LastOrDefault(l => l.StartsWith("peak ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"child failed ({process.ExitCode}): {output}");
            var parts = line.Split(' ');
            return (double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    internal static class ChildFullSync
    {
        public static async Task<int> RunAsync(string storage, string prefix, string connectionId)
        {
            long records = 0;
            await using (var services = BenchServices.Create(storage, prefix, new Dictionary<string, string?> { ["Sync:PageSize"] = "100" }))
            {
                if (connectionId != "none")
                {
                    var outcome = await services.GetRequiredService<ConnectionSyncer>().RunAsync(
                        new SyncRequest(connectionId, SyncMode.Full, [EntityType.Products, EntityType.Prices]), CancellationToken.None);
                    if (outcome.Run?.Status != RunStatus.Succeeded)
                    {
                        Console.WriteLine($"failed {outcome.Run?.Error}");
                        return 1;
                    }

                    records = outcome.Run.Counters.Created;
                }
                else
                {
                    // Idle reference: the same services, resolved and touched once.
                    _ = services.GetRequiredService<ConnectionSyncer>();
                    await services.GetRequiredService<ISyncStateStore>().GetLeaseAsync("cnone", SyncLane.Main, CancellationToken.None);
                }
            }

            using var self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine($"peak {(self.PeakWorkingSet64 / 1024.0 / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} {records}");
            return 0;
        }
    }

    /// <summary>Connections planned and enqueued per second in a 10,000-connection cycle ÷ raw enqueue rate on the same Azurite.</summary>
    internal static class Schedule10k
    {
        public static async Task<Figure[]> RunAsync(string storage)
        {
            var prefix = "bs" + DateTime.UtcNow.ToString("HHmmss");
            await using var services = BenchServices.Create(storage, prefix);
            var store = services.GetRequiredService<IConnectionStore>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
                await store.RegisterAsync(new ConnectionRegistration($"org-{i % 200}", "shopify", $"shop-{i}", $"shop {i}", new Dictionary<string, string> { ["accessToken"] = "t" }), ct));

            var parallelism = 16;
            var watch = Stopwatch.StartNew();
            var summary = await services.GetRequiredService<CyclePlanner>().RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);
            watch.Stop();
            var planned = summary.Queued / watch.Elapsed.TotalSeconds;
            var planSeconds = watch.Elapsed.TotalSeconds;

            var rawElapsed = await services.GetRequiredService<StorageProbe>().EnqueueRawAsync("rawqueue", 10_000, parallelism, new string('x', 300), CancellationToken.None);
            var raw = 10_000 / rawElapsed.TotalSeconds;
            var scheduleFigure = new Figure("schedule_10k_ratio", planned / raw,
                new { plannedPerSecond = Math.Round(planned), rawEnqueuePerSecond = Math.Round(raw), queued = summary.Queued, parallelism }, ">= 0.5");

            // The same cycle again once every connection has 20 finished runs (finished long enough ago to be due
            // again, so both cycles plan all 10,000): planning must not read the history.
            await RunHistory.SeedAsync(services, store, runsPerConnection: 20);
            watch.Restart();
            var withHistory = await services.GetRequiredService<CyclePlanner>().RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);
            watch.Stop();
            var historyFigure = new Figure("plan_history_ratio", watch.Elapsed.TotalSeconds / planSeconds,
                new { planSecondsWithHistory = Math.Round(watch.Elapsed.TotalSeconds, 2), planSecondsWithoutRuns = Math.Round(planSeconds, 2), runsPerConnection = 20, queued = withHistory.Queued }, "<= 1.3");
            return [scheduleFigure, historyFigure];
        }
    }
}

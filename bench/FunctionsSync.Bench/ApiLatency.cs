using FunctionsSync.Core.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// <c>api_10k_latency_ratio</c>: how the operator surfaces hold up as connections grow. The self-hosted runtime (no
/// scheduler) over real HTTP, with 100 registered connections and then with 10,000: p95 of <c>GET /api/connections</c>
/// (first page of 50), <c>GET /api/sync/status</c> (as deployed: its counts kept <c>Api:StatusCacheDuration</c>, with
/// the time to work them out, a cold request, printed beside) and the dashboard's first data load (what the page asks
/// for on sign-in, in its order; each of its lists alone printed beside). The figure is the largest of the three p95 ratios, 10,000 ÷ 100; beside it the same
/// ratio of the storage's own first-page query, straight from the table, and of its point reads.
/// </summary>
internal static class ApiLatency
{
    private const int Samples = 40;

    public static async Task<Figure> RunAsync(string storage)
    {
        var prefix = "ba" + DateTime.UtcNow.ToString("HHmmss");
        await using var app = await BenchHost.StartAsync(storage, prefix, new Dictionary<string, string?> { ["Workers:Count"] = "1" });
        using var http = new HttpClient { BaseAddress = new Uri(BenchHost.BaseUrl(app)) };
        http.DefaultRequestHeaders.Add("X-Api-Key", BenchHost.AdminKey);
        var store = app.Services.GetRequiredService<IConnectionStore>();

        var table = new Azure.Data.Tables.TableClient(storage, prefix + "connections");
        var tokens = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await RegisterAsync(store, 0, 100, tokens);
        var small = await MeasureAsync(http);
        var rawSmall = await RawFirstPageAsync(table);
        var pointSmall = await RawPointReadsAsync(table, tokens);
        var partsSmall = await DashboardPartsAsync(http);
        await RegisterAsync(store, 100, 10_000, tokens);
        var large = await MeasureAsync(http);
        var rawLarge = await RawFirstPageAsync(table);
        var pointLarge = await RawPointReadsAsync(table, tokens);
        var partsLarge = await DashboardPartsAsync(http);
        await app.StopAsync();

        var ratios = new[] { large.Connections / small.Connections, large.Status / small.Status, large.Dashboard / small.Dashboard };
        return new Figure("api_10k_latency_ratio", ratios.Max(),
            new { connectionsP95Ms100 = Ms(small.Connections), statusP95Ms100 = Ms(small.Status), dashboardP95Ms100 = Ms(small.Dashboard), statusColdMs100 = Ms(small.StatusCold), rawFirstPageP95Ms100 = Ms(rawSmall),
                rawSharedKeyReadP95Ms100 = Ms(pointSmall.Shared), rawUniqueKeyReadP95Ms100 = Ms(pointSmall.Unique), dashboardPartsP95Ms100 = partsSmall },
            "<= 2",
            new
            {
                connectionsP95Ms10k = Ms(large.Connections), statusP95Ms10k = Ms(large.Status), dashboardP95Ms10k = Ms(large.Dashboard), statusColdMs10k = Ms(large.StatusCold),
                rawFirstPageP95Ms10k = Ms(rawLarge), rawFirstPageRatio = Math.Round(rawLarge / rawSmall, 2),
                rawSharedKeyReadP95Ms10k = Ms(pointLarge.Shared), rawUniqueKeyReadP95Ms10k = Ms(pointLarge.Unique), dashboardPartsP95Ms10k = partsLarge,
                connectionsRatio = Math.Round(ratios[0], 2), statusRatio = Math.Round(ratios[1], 2), dashboardRatio = Math.Round(ratios[2], 2), samples = Samples,
            });
    }

    private sealed record Latencies(double Connections, double Status, double Dashboard, double StatusCold);

    private static double Ms(double value) => Math.Round(value, 1);

    /// <summary>Connections <paramref name="from"/> to <paramref name="to"/> (exclusive), spread over 100 organizations; the first sync tokens kept.</summary>
    private static Task RegisterAsync(IConnectionStore store, int from, int to, System.Collections.Concurrent.ConcurrentQueue<string> tokens) =>
        Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var registered = await store.RegisterAsync(new ConnectionRegistration($"org-{i % 100:D3}", "woocommerce", $"store-{i}", $"store {i}",
                new Dictionary<string, string> { ["consumerKey"] = "ck", ["consumerSecret"] = "cs" }, new Dictionary<string, string> { ["baseUrl"] = "http://127.0.0.1:9/woocommerce/x" }), ct);
            if (registered.IssuedSyncToken is { } token && tokens.Count < Samples)
            {
                tokens.Enqueue(token);
            }
        });

    private static async Task<Latencies> MeasureAsync(HttpClient http)
    {
        // Warm: connections, the JIT, and the status's first working-out (timed: what a request pays once the cache lapses).
        await GetAsync(http, "/api/connections?pageSize=50");
        var cold = await TimeAsync(() => GetAsync(http, "/api/sync/status"));
        var connections = new List<double>();
        var status = new List<double>();
        var dashboard = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            connections.Add(await TimeAsync(() => GetAsync(http, "/api/connections?pageSize=50")));
            status.Add(await TimeAsync(() => GetAsync(http, "/api/sync/status")));
            dashboard.Add(await TimeAsync(() => DashboardLoadAsync(http)));
        }

        return new Latencies(P95(connections), P95(status), P95(dashboard), cold);
    }

    /// <summary>What the page lists on sign-in, together, after the status (<c>app.js</c>, <c>refreshLists</c>).</summary>
    private static readonly string[] DashboardLists =
    [
        "/api/connections?pageSize=50",
        "/api/run-history?pageSize=25",
        "/api/conflicts?pageSize=200&status=open",
        "/api/conflicts?pageSize=200&status=retrying",
        "/api/webhooks",
    ];

    /// <summary>The page's sign-in: the status (the key checked, who is asking, the counts), then its lists together.</summary>
    private static async Task DashboardLoadAsync(HttpClient http)
    {
        await GetAsync(http, "/api/sync/status");
        await Task.WhenAll(DashboardLists.Select(path => GetAsync(http, path)));
    }

    /// <summary>Each of the page's lists alone, p95 ms by path: which of them grows, seen rather than guessed.</summary>
    private static async Task<Dictionary<string, double>> DashboardPartsAsync(HttpClient http)
    {
        var parts = new Dictionary<string, double>();
        foreach (var path in DashboardLists)
        {
            var times = new List<double>();
            for (var i = 0; i < Samples; i++)
            {
                times.Add(await TimeAsync(() => GetAsync(http, path)));
            }

            parts[path] = Ms(P95(times));
        }

        return parts;
    }

    /// <summary>
    /// The storage's own cost of the list's first page: the same query of the organization index (50 rows) straight
    /// from the table, p95 of <see cref="Samples"/>, so what grows with the table in the store itself is seen apart
    /// from the service (Azurite's in-memory tables evaluate a query over every row; Azure's answer a key range).
    /// </summary>
    private static async Task<double> RawFirstPageAsync(Azure.Data.Tables.TableClient table)
    {
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey ge {"org|"} and PartitionKey lt {"org}"}");
        var times = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            times.Add(await TimeAsync(async () =>
            {
                await foreach (var page in table.QueryAsync<Azure.Data.Tables.TableEntity>(filter, maxPerPage: 50).AsPages())
                {
                    _ = page.Values.Count;
                    break;
                }
            }));
        }

        return P95(times);
    }

    /// <summary>
    /// The storage's own cost of a point read, p95 of <see cref="Samples"/> each: a row whose row key every connection's
    /// row of its kind shares (the sync token's index row, <c>token</c>; so were the connection rows before they took
    /// their id as row key) beside one whose row key is its own (the connection row). Azurite finds a row by its row key
    /// first and then looks through every row holding that key, so the first grows with connections and the second does
    /// not; on Azure both are a point read.
    /// </summary>
    private static async Task<(double Shared, double Unique)> RawPointReadsAsync(Azure.Data.Tables.TableClient table, IEnumerable<string> tokens)
    {
        var shared = new List<double>();
        var unique = new List<double>();
        foreach (var token in tokens)
        {
            var entry = default(Azure.Data.Tables.TableEntity);
            shared.Add(await TimeAsync(async () => entry = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("token|" + ConnectionIds.HashSyncToken(token), "token")).Value));
            var id = entry!.GetString("ConnectionId");
            unique.Add(await TimeAsync(() => table.GetEntityAsync<Azure.Data.Tables.TableEntity>(id, "connection|" + id)));
        }

        return (P95(shared), P95(unique));
    }

    private static async Task GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static Task<double> TimeAsync(Func<Task> action) => Sampled.MillisecondsAsync(action);

    private static double P95(List<double> values) => Sampled.Percentile(values, 0.95);
}

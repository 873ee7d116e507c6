using System.Diagnostics;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Simulator.Data;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// A 200,000-order Amazon store fully synced from one order report, under SP-API's published budgets on both sides
/// (createReport 0.0167/s burst 15, getReport 2/s, getReportDocument 0.0167/s): the time getOrders alone would take at
/// its budget (0.0167 requests/s after a burst of 20, 100 orders a page) ÷ the report path's measured time. The
/// details add what getOrders would take with each order's items (getOrderItems at 0.5/s, which the report's rows carry).
/// </summary>
internal static class AmazonFullSyncSpeedup
{
    private const int Orders = 200_000;
    private const double GetOrdersPerSecond = 0.0167;
    private const int GetOrdersBurst = 20;
    private const int GetOrdersPageSize = 100;
    private const double GetOrderItemsPerSecond = 0.5;
    private const int GetOrderItemsBurst = 30;

    public static async Task<Figure> RunAsync(string storage, SimulatorState sim, string simulatorUrl)
    {
        var prefix = "ba" + DateTime.UtcNow.ToString("HHmmss");
        await using var services = BenchServices.Create(storage, prefix, new Dictionary<string, string?> { ["Marketplaces:RateLimitsEnabled"] = "true" });
        var connection = await Stores.RegisterAsync(services, sim, simulatorUrl, "amazon", "bench-amazon",
            new SimStoreConfig { Orders = Orders, Products = 0, Customers = 0, Seed = 9, ReportMaxDays = 3650 },
            new Dictionary<string, string> { ["historyStart"] = "2023-12-01T00:00:00Z", ["reportWindowDays"] = "3650" });
        sim.RateLimitsEnabled = true;
        sim.ClearRequests();
        var watch = Stopwatch.StartNew();
        SyncOutcome outcome;
        try
        {
            outcome = await services.GetRequiredService<ConnectionSyncer>().RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        }
        finally
        {
            sim.RateLimitsEnabled = false;
        }

        watch.Stop();
        var created = outcome.Run?.Entity(EntityType.Orders)?.Counters.Created;
        if (outcome.Run?.Status != RunStatus.Succeeded || created != Orders)
        {
            throw new InvalidOperationException($"bench amazon sync did not store {Orders} orders: {outcome.Run?.Status} {created} {outcome.Run?.Error}");
        }

        var requests = sim.Requests.Where(r => r.StoreId == "bench-amazon").ToList();
        var pages = (int)Math.Ceiling((double)Orders / GetOrdersPageSize);
        var getOrdersSeconds = Math.Max(0, pages - GetOrdersBurst) / GetOrdersPerSecond;
        var reportSeconds = watch.Elapsed.TotalSeconds;
        return new Figure("amazon_full_sync_speedup", getOrdersSeconds / reportSeconds,
            new
            {
                reportPathSeconds = Math.Round(reportSeconds, 1),
                getOrdersOnlySeconds = Math.Round(getOrdersSeconds),
                getOrdersOnlyHours = Math.Round(getOrdersSeconds / 3600, 1),
                getOrdersWithItemsHours = Math.Round(Math.Max(getOrdersSeconds, (Orders - GetOrderItemsBurst) / GetOrderItemsPerSecond) / 3600, 1),
                orders = Orders,
                requests = requests.Count,
                throttled = requests.Count(r => r.Status == 429),
            },
            ">= 50");
    }
}

using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Bench;

/// <summary>
/// Whether a full sync's cost grows linearly with the store: records/s of a full sync of a 200,000-order store ÷ the
/// same of a 20,000-order store, same run, same path (Shopify bulk), each on a table prefix of its own. Products and
/// customers grow with the orders (a tenth and a twentieth), so both stores have the same shape.
/// </summary>
internal static class SyncSizeScaling
{
    public static async Task<Figure> RunAsync(string storage, SimulatorState sim, string simulatorUrl)
    {
        await TimedFullSync.WarmUpAsync(storage, sim, simulatorUrl);
        var small = await MeasureAsync(storage, sim, simulatorUrl, 20_000);
        var large = await MeasureAsync(storage, sim, simulatorUrl, 200_000);
        return new Figure("sync_size_scaling", large.RecordsPerSecond / small.RecordsPerSecond, new
        {
            orders20kRecordsPerSecond = Math.Round(small.RecordsPerSecond), orders20kRecords = small.Records, orders20kSeconds = Math.Round(small.Seconds, 1),
            orders200kRecordsPerSecond = Math.Round(large.RecordsPerSecond), orders200kRecords = large.Records, orders200kSeconds = Math.Round(large.Seconds, 1),
        }, ">= 0.9", new { orders20k = small.Breakdown, orders200k = large.Breakdown });
    }

    private static async Task<(double RecordsPerSecond, long Records, double Seconds, object Breakdown)> MeasureAsync(string storage, SimulatorState sim, string simulatorUrl, int orders)
    {
        var tag = $"bz{orders / 1000}k";
        await using var services = BenchServices.Create(storage, tag + DateTime.UtcNow.ToString("HHmmss"));
        var connection = await Stores.RegisterAsync(services, sim, simulatorUrl, "shopify", "bench-size-" + tag,
            new SimStoreConfig { Orders = orders, Products = orders / 10, Customers = orders / 20, Seed = 7 });
        var (run, elapsed, breakdown) = await TimedFullSync.RunAsync(services, connection.Id, $"{orders} orders");
        var records = run.Counters.Created;
        return (records / elapsed.TotalSeconds, records, elapsed.TotalSeconds, breakdown);
    }
}

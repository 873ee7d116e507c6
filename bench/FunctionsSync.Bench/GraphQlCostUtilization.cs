using System.Diagnostics;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Records;
using FunctionsSync.Simulator.Data;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// Cost points per second a Shopify GraphQL connection spends reading orders page by page ÷ its plan's restore
/// rate, for a 100 points/s and a 1,000 points/s shop, with the simulator's cost model deciding (THROTTLED when a
/// query's requested cost is not there). Measured after the first 5 s, once the initial bucket is spent down.
/// </summary>
internal static class GraphQlCostUtilization
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(20);

    public static async Task<Figure> RunAsync(string storage, SimulatorState sim, string simulatorUrl)
    {
        var prefix = "bg" + DateTime.UtcNow.ToString("HHmmss");
        await using var services = BenchServices.Create(storage, prefix);
        var plans = new List<object>();
        var worst = double.MaxValue;
        long throttled = 0;
        sim.RateLimitsEnabled = true;
        try
        {
            foreach (var restore in new[] { 100d, 1_000d })
            {
                var storeId = $"bench-gql-{restore:0}";
                var connection = await Stores.RegisterAsync(services, sim, simulatorUrl, "shopify", storeId,
                    new SimStoreConfig { Orders = 100_000, Products = 0, Customers = 0, Seed = 13, GraphQlRestoreRate = restore });
                var store = sim.GetStore("shopify", storeId)!;
                var adapter = services.GetRequiredService<IMarketplaceAdapterRegistry>().Get("shopify");
                var watch = Stopwatch.StartNew();
                double? spentAtWarmUp = null;
                var warmUpAt = TimeSpan.Zero;
                string? token = null;
                var orders = 0;
                while (watch.Elapsed < WarmUp + Measured)
                {
                    if (spentAtWarmUp is null && watch.Elapsed >= WarmUp)
                    {
                        spentAtWarmUp = store.CostBucket.Spent;
                        warmUpAt = watch.Elapsed;
                    }

                    // An incremental read (paged GraphQL; a full one would be a bulk query).
                    var page = await adapter.FetchPageAsync(connection, new FetchRequest(EntityType.Orders, SimStore.BaseTime.AddDays(-1), token, 250), CancellationToken.None);
                    orders += page.Records.Count;
                    token = page.NextPageToken;
                }

                var seconds = (watch.Elapsed - warmUpAt).TotalSeconds;
                var perSecond = (store.CostBucket.Spent - spentAtWarmUp!.Value) / seconds;
                var utilization = perSecond / restore;
                worst = Math.Min(worst, utilization);
                throttled += store.CostBucket.Refused;
                plans.Add(new { restoreRate = restore, maximumAvailable = store.CostBucket.MaximumAvailable, pointsPerSecond = Math.Round(perSecond, 1), utilization = Math.Round(utilization, 3), orders, throttled = store.CostBucket.Refused });
            }
        }
        finally
        {
            sim.RateLimitsEnabled = false;
        }

        return new Figure("graphql_cost_utilization", worst, new { plans, throttled }, ">= 0.9 on each plan with no THROTTLED answer");
    }
}

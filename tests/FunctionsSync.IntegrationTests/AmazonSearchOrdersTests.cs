using System.Net;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Amazon Orders 2026-01-01 <c>searchOrders</c>, the default for order pages (v0 getOrders is deprecated,
/// contracts/amazon/ordersV0.json): each order comes with its items, so an incremental sync needs no getOrderItems,
/// and its records equal the report's and v0's, line for line.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class AmazonSearchOrdersTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string SearchPath = "/orders/2026-01-01/orders";

    [Fact]
    public async Task An_incremental_sync_reads_searchOrders_with_items_and_ends_exact()
    {
        await using var harness = new SyncHarness(storage, simulator, "amzsearch");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Amazon, "amz-search", new SimStoreConfig { Orders = 450, Products = 30, Seed = 15, ReportMaxDays = 3650 },
            settings: new Dictionary<string, string> { ["historyStart"] = "2023-12-01T00:00:00Z", ["reportWindowDays"] = "3650" });

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);

        // The same history read by searchOrders pages: every record equal to the report's, nothing rewritten.
        await harness.Connections.UpdateAsync(connection.Id, c => c with { Settings = new Dictionary<string, string>(c.Settings) { ["fullSync"] = "orders" } }, CancellationToken.None);
        simulator.State.ClearRequests();
        var pages = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(pages.Run!.Status == RunStatus.Succeeded, pages.Run.Error);
        var counters = pages.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal((0L, 0L, 450L), (counters.Created, counters.Updated, counters.Unchanged));
        var requests = simulator.AnsweredPaths(store);
        Assert.Equal(5, requests.Count(p => p.Contains(SearchPath + "?", StringComparison.Ordinal)));
        Assert.Contains(requests, p => p.Contains("paginationToken=", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, p => p.Contains("/orders/v0/", StringComparison.Ordinal));

        var changed = store.Mutate(SimKind.Orders, 11, DateTimeOffset.UtcNow.AddMinutes(-5)).Select(SimCatalog.AmazonOrderId).ToHashSet();
        simulator.State.ClearRequests();
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        Assert.Equal(11, incremental.Run.Entity(EntityType.Orders)!.Counters.Updated);
        requests = simulator.AnsweredPaths(store);
        Assert.NotEmpty(requests);
        Assert.All(requests, p => Assert.Contains(SearchPath + "?", p));
        Assert.All(requests, p => Assert.Contains("includedData=PROCEEDS,FULFILLMENT", p));
        var stored = (await harness.SnapshotAsync(connection.Id))[EntityType.Orders];
        Expected.Matches(Expected.For(store, EntityType.Orders), stored, "orders after a searchOrders sync");
        Expected.LinesMatch(Expected.AmazonLines(store), stored, "lines from searchOrders");
        Assert.All(changed, id => Assert.Equal(SimCatalog.Order(store, store.Current(SimKind.Orders, Index(id))).Total, ((OrderRecord)stored[id].Record).Total));
    }

    [Fact]
    public async Task The_simulator_refuses_what_searchOrders_does_not_declare()
    {
        await using var harness = new SyncHarness(storage, simulator, "amzsearchsim");
        var (connection, _) = await harness.AddStoreAsync(MarketplaceNames.Amazon, "amz-search-errors", new SimStoreConfig { Orders = 10, Products = 5, Seed = 16 });
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("x-amz-access-token", SyncHarness.CredentialsFor(MarketplaceNames.Amazon, "amz-search-errors")["accessToken"]);
        var search = $"{connection.Settings["baseUrl"]}{SearchPath}?marketplaceIds=ATVPDKIKX0DER";

        foreach (var bad in new[]
        {
            "", // neither createdAfter nor lastUpdatedAfter
            "&lastUpdatedAfter=2024-01-01T00:00:00Z&createdAfter=2024-01-01T00:00:00Z",
            "&lastUpdatedAfter=2024-01-01T00:00:00Z&maxResultsPerPage=101",
            "&lastUpdatedAfter=2024-01-01T00:00:00Z&includedData=ITEMS",
            "&lastUpdatedAfter=2024-01-01T00:00:00Z&paginationToken=forged",
        })
        {
            using var response = await client.GetAsync(new Uri(search + bad));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{bad}: {response.StatusCode}");
        }

        using var ok = await client.GetAsync(new Uri(search + "&lastUpdatedAfter=2023-01-01T00:00:00Z&includedData=PROCEEDS"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    private static int Index(string amazonOrderId) => SimCatalog.TryAmazonIndex(amazonOrderId, int.MaxValue, out var index) ? index : -1;
}

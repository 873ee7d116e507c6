using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Amazon orders carry their lines: from the report's rows in a full sync, from getOrderItems (one call per order,
/// paged by NextToken, on its own budget) when read by the deprecated v0 getOrders (<c>settings.ordersApi: v0</c>);
/// the two give the same records. The default, searchOrders, is in <see cref="AmazonSearchOrdersTests"/>.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class AmazonOrderItemsTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string ItemsPath = "/orderItems";

    [Fact]
    public async Task Orders_from_a_report_and_from_getOrders_carry_the_same_lines_and_item_pages_are_followed()
    {
        await using var harness = new SyncHarness(storage, simulator, "amzitems");
        // Two items a page, so every order of three or more lines pages its items.
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Amazon, "amz-items", new SimStoreConfig { Orders = 400, Products = 25, Seed = 12, ReportMaxDays = 3650, OrderItemsPerPage = 2 },
            settings: new Dictionary<string, string> { ["historyStart"] = "2023-12-01T00:00:00Z", ["reportWindowDays"] = "3650", ["ordersApi"] = "v0" });
        var expected = Expected.AmazonLines(store);
        Assert.Contains(expected.Values, lines => lines.Split(';').Length >= 3);
        simulator.State.ClearRequests();

        var fromReport = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(fromReport.Run!.Status == RunStatus.Succeeded, fromReport.Run.Error);
        Expected.LinesMatch(expected, (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "lines from the report");
        Assert.Equal(0, Requests(store).Count(p => p.Contains(ItemsPath, StringComparison.Ordinal)));

        // The same history read by getOrders and getOrderItems: every record equal to the report's, nothing rewritten.
        await harness.Connections.UpdateAsync(connection.Id, c => c with { Settings = new Dictionary<string, string>(c.Settings) { ["fullSync"] = "orders" } }, CancellationToken.None);
        simulator.State.ClearRequests();
        var fromOrders = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(fromOrders.Run!.Status == RunStatus.Succeeded, fromOrders.Run.Error);
        var counters = fromOrders.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal((0L, 0L, 400L), (counters.Created, counters.Updated, counters.Unchanged));
        Expected.LinesMatch(expected, (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "lines from getOrderItems");

        var requests = Requests(store);
        var itemCalls = requests.Count(p => p.Contains(ItemsPath, StringComparison.Ordinal));
        Assert.Equal(expected.Values.Sum(lines => (lines.Split(';').Length + 1) / 2), itemCalls);
        Assert.True(requests.Count(p => p.Contains("NextToken=", StringComparison.Ordinal) && p.Contains(ItemsPath, StringComparison.Ordinal)) > 0);
        // While items are read, getOrders pages are the size the items' budget serves within a lease.
        var firstPages = requests.Where(p => p.Contains("MaxResultsPerPage=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(firstPages);
        Assert.All(firstPages, p => Assert.Contains("MaxResultsPerPage=30&", p));

        // An incremental sync reads the items of the orders it reads: the changed ones, and those in the window it
        // re-reads behind its cursor (the seeded orders are minutes apart, so here that is all of them, found unchanged).
        var changed = store.Mutate(SimKind.Orders, 7, DateTimeOffset.UtcNow.AddMinutes(-5));
        simulator.State.ClearRequests();
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        var changedCounters = incremental.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal(7, changedCounters.Updated);
        var itemOrders = Requests(store).Where(p => p.Contains(ItemsPath, StringComparison.Ordinal) && !p.Contains("NextToken=", StringComparison.Ordinal))
            .Select(p => p.Split('/')[^2]).ToList();
        Assert.Equal(itemOrders.Count, itemOrders.Distinct().Count());
        Assert.Equal(changedCounters.Updated + changedCounters.Unchanged, itemOrders.Count);
        Assert.Subset(itemOrders.ToHashSet(), changed.Select(SimCatalog.AmazonOrderId).ToHashSet());
        Expected.LinesMatch(Expected.AmazonLines(store), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "lines after changes");
    }

    [Fact]
    public async Task A_connection_that_turns_items_off_reads_full_getOrders_pages_and_no_items()
    {
        await using var harness = new SyncHarness(storage, simulator, "amznoitems");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Amazon, "amz-no-items", new SimStoreConfig { Orders = 250, Products = 10, Seed = 13 },
            settings: new Dictionary<string, string> { ["fullSync"] = "orders", ["orderItems"] = "false", ["ordersApi"] = "v0" });
        simulator.State.ClearRequests();

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        var orders = (await harness.SnapshotAsync(connection.Id))[EntityType.Orders];
        Expected.Matches(Expected.For(store, EntityType.Orders), orders, "orders without items");
        Assert.All(orders.Values, o => Assert.Empty(((OrderRecord)o.Record).Lines));
        var requests = Requests(store);
        Assert.Equal(0, requests.Count(p => p.Contains(ItemsPath, StringComparison.Ordinal)));
        Assert.Equal(3, requests.Count(p => p.Contains("/orders/v0/orders?", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_simulator_answers_an_unknown_order_with_404_and_a_bad_token_with_400()
    {
        await using var harness = new SyncHarness(storage, simulator, "amzitemsim");
        var (connection, _) = await harness.AddStoreAsync(MarketplaceNames.Amazon, "amz-items-errors", new SimStoreConfig { Orders = 10, Products = 5, Seed = 14, OrderItemsPerPage = 1 });
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("x-amz-access-token", SyncHarness.CredentialsFor(MarketplaceNames.Amazon, "amz-items-errors")["accessToken"]);
        var orders = $"{connection.Settings["baseUrl"]}/orders/v0/orders";

        using var unknown = await client.GetAsync($"{orders}/111-0000099-0000000/orderItems");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NotFound", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetProperty("code").GetString());

        using var badToken = await client.GetAsync($"{orders}/{SimCatalog.AmazonOrderId(3)}/orderItems?NextToken=x");
        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);

        using var first = await client.GetAsync($"{orders}/{SimCatalog.AmazonOrderId(3)}/orderItems");
        var payload = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("payload");
        Assert.Equal(SimCatalog.AmazonOrderId(3), payload.GetProperty("AmazonOrderId").GetString());
        Assert.Single(payload.GetProperty("OrderItems").EnumerateArray());
    }

    private List<string> Requests(SimStore store) => simulator.AnsweredPaths(store);
}

using System.Globalization;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// WooCommerce as core really serves it (contracts/woocommerce/core-rest-parameters.md): variable products keep price,
/// SKU and stock on their variations; customers refuse <c>orderby=modified</c> and ignore date filters. A store with
/// both syncs exactly, fully and incrementally.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class WooCommerceContractSyncTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task Variable_products_and_customers_sync_exactly_fully_and_incrementally()
    {
        await using var harness = new SyncHarness(storage, simulator, "woocontract");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.WooCommerce, "woo-contract", new SimStoreConfig { Orders = 150, Products = 240, Customers = 330, Seed = 41 });
        Assert.True(Enumerable.Range(0, 240).Count(i => SimCatalog.Product(store, store.Current(SimKind.Products, i)).Variants.Count > 1) > 100, "the store has variable products");

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        var afterFull = await harness.SnapshotAsync(connection.Id);
        AssertExact(store, afterFull, "after a full sync");

        // Every customers request named only what core registers for customers.
        var customerPaths = simulator.AnsweredPaths(store).Where(p => p.Contains("/customers?", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(customerPaths);
        Assert.All(customerPaths, p => Assert.DoesNotContain("modified", p, StringComparison.Ordinal));

        // Changes since: exactly the changed customers and products are rewritten.
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var customers = store.Mutate(SimKind.Customers, 9, at).Select(i => SimCatalog.CustomerId(i).ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var products = store.Mutate(SimKind.Products, 6, at).Select(i => SimCatalog.ProductId(i).ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        var after = await harness.SnapshotAsync(connection.Id);
        AssertExact(store, after, "after an incremental sync");
        Assert.Equal(customers.Order(), Rewritten(afterFull, after, EntityType.Customers));
        Assert.Equal(products.Order(), Rewritten(afterFull, after, EntityType.Products));
        Assert.Equal(9, incremental.Run.Entity(EntityType.Customers)!.Counters.Updated);
        Assert.Equal(0, incremental.Run.Entity(EntityType.Customers)!.Counters.Created);
    }

    [Fact]
    public async Task The_simulator_refuses_a_modified_order_for_customers_and_ignores_their_date_filter()
    {
        await using var harness = new SyncHarness(storage, simulator, "woostrict");
        var (_, store) = await harness.AddStoreAsync(MarketplaceNames.WooCommerce, "woo-strict", new SimStoreConfig { Orders = 0, Products = 0, Customers = 30, Seed = 42 });
        using var http = new HttpClient();
        var credentials = SyncHarness.CredentialsFor(MarketplaceNames.WooCommerce, store.StoreId);
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credentials["consumerKey"]}:{credentials["consumerSecret"]}")));
        var baseUrl = harness.BaseUrlFor(MarketplaceNames.WooCommerce, store.StoreId) + "/wp-json/wc/v3/customers";

        var refused = await http.GetAsync(new Uri(baseUrl + "?orderby=modified"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("rest_invalid_param", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var ignored = await http.GetAsync(new Uri(baseUrl + "?per_page=100&modified_after=2030-01-01T00:00:00"));
        Assert.True(ignored.IsSuccessStatusCode);
        Assert.Equal("30", ignored.Headers.GetValues("X-WP-Total").Single());
    }

    private static void AssertExact(SimStore store, Dictionary<EntityType, Dictionary<string, StoredRecord>> snapshot, string when)
    {
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"woocommerce {type.ToWire()} {when}");
        }

        var stored = snapshot[EntityType.Products].ToDictionary(
            p => p.Key,
            p => string.Join(";", ((ProductRecord)p.Value.Record).Inventory.Select(i => $"{i.Sku}={i.Available.ToString(CultureInfo.InvariantCulture)}")));
        var wrong = Expected.Variants(store).Where(v => stored.GetValueOrDefault(v.Key) != v.Value).Take(3).Select(v => $"{v.Key}: want [{v.Value}], got [{stored.GetValueOrDefault(v.Key)}]").ToList();
        Assert.True(wrong.Count == 0, $"variations {when}: {string.Join("; ", wrong)}");
    }

    private static IEnumerable<string> Rewritten(Dictionary<EntityType, Dictionary<string, StoredRecord>> before, Dictionary<EntityType, Dictionary<string, StoredRecord>> after, EntityType type) =>
        after[type].Where(r => r.Value.WrittenAt != before[type][r.Key].WrittenAt).Select(r => r.Key).Order();
}

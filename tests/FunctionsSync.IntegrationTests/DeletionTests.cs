using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Records deleted at the marketplace become tombstones by reconciliation: a full run that read a feed whole (and
/// clean) tombstones the stored records it did not list, each with a <c>record.deleted</c> webhook. A run that read
/// only part of a store (an incremental one, or a full one whose feed ended short) tombstones nothing. The records
/// API leaves tombstones out unless asked for them.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DeletionTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private static readonly int[] DeletedProducts = [3, 50, 77, 149];
    private static readonly int[] DeletedCustomers = [5, 6];

    [Fact]
    public async Task WooCommerce_records_deleted_at_the_store_become_tombstones_after_a_whole_full_read_and_not_before()
    {
        await using var host = new HostApp(storage, "deletewoo", new Dictionary<string, string?>
        {
            ["Webhooks:RetrySchedule:0"] = "00:00:00.200",
            ["Webhooks:SweepInterval"] = "00:00:00.100",
            ["Webhooks:SweepAfter"] = "00:00:00",
            ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        });
        var client = host.Client();
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-delete", MarketplaceNames.WooCommerce, "woo-delete", new SimStoreConfig { Orders = 60, Products = 150, Customers = 40, Seed = 81 });
        var receiver = $"deleted-{Guid.NewGuid():N}";
        var endpoint = await (await client.PostJsonAsync("/api/webhooks", new { organizationId = "org-delete", events = new[] { "record.deleted" }, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}" })).ReadJsonAsync();
        using var mock = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
        Assert.Equal(HttpStatusCode.NoContent, (await mock.PutAsJsonAsync($"/mock/webhooks/{receiver}/secret", new { secret = endpoint.GetProperty("secret").GetString() })).StatusCode);

        await RunAsync(client, connectionId, "full", "succeeded");
        var pricesBefore = (await ListAsync(client, connectionId, "prices", includeDeleted: false)).Count;
        store.Delete(SimKind.Products, DeletedProducts);
        store.Delete(SimKind.Customers, DeletedCustomers);
        var goneProducts = DeletedProducts.Select(i => SimCatalog.ProductId(i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var goneCustomers = DeletedCustomers.Select(i => SimCatalog.CustomerId(i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();

        // Part of the store read: an incremental run, and a full run of products whose list was answered short.
        var incremental = await RunAsync(client, connectionId, "incremental", "succeeded");
        Assert.Equal(0, Counter(incremental, "products", "deleted") + Counter(incremental, "customers", "deleted"));
        simulator.State.Faults = new SimFaults { ShortListPages = 1 };
        try
        {
            var cut = await RunAsync(client, connectionId, "full", "partial", ["products"]);
            Assert.StartsWith("completeness: woocommerce products", cut.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, Counter(cut, "products", "deleted"));
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }

        Assert.Equal(150, (await ListAsync(client, connectionId, "products", includeDeleted: false)).Count);
        Assert.Equal(0, (await mock.GetFromJsonAsync<JsonElement>($"/mock/webhooks/{receiver}")).GetProperty("accepted").GetArrayLength());

        // A whole full read: the deleted ones become tombstones, with their prices, and nothing else does.
        var full = await RunAsync(client, connectionId, "full", "succeeded");
        var pricesGone = pricesBefore - Expected.For(store, EntityType.Prices).Count;
        Assert.True(pricesGone >= DeletedProducts.Length, $"{pricesGone} prices of the deleted products");
        Assert.Equal((4L, 2L, pricesGone, 0L), (Counter(full, "products", "deleted"), Counter(full, "customers", "deleted"), Counter(full, "prices", "deleted"), Counter(full, "orders", "deleted")));

        foreach (var (type, gone) in new[] { ("products", goneProducts), ("customers", goneCustomers) })
        {
            var live = await ListAsync(client, connectionId, type, includeDeleted: false);
            var all = await ListAsync(client, connectionId, type, includeDeleted: true);
            Assert.Equal(Expected.For(store, EntityTypes.Parse(type)).Keys.Order(), live.Keys.Order());
            Assert.Equal(gone.Order(), all.Where(r => r.Value.GetProperty("deleted").GetBoolean()).Select(r => r.Key).Order());
            Assert.All(all.Values.Where(r => r.GetProperty("deleted").GetBoolean()), r => Assert.Equal(JsonValueKind.String, r.GetProperty("deletedAt").ValueKind));
        }

        // The connection's stored counts are of live records.
        var counts = (await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync()).GetProperty("records");
        Assert.Equal((146L, 38L), (counts.GetProperty("products").GetInt64(), counts.GetProperty("customers").GetInt64()));
        var one = await (await client.GetAsync($"/api/connections/{connectionId}/records/products/{goneProducts.First()}")).ReadJsonAsync();
        Assert.True(one.GetProperty("deleted").GetBoolean());

        // One record.deleted per tombstone, signed and delivered.
        var expectedEvents = DeletedProducts.Length + DeletedCustomers.Length + (int)pricesGone;
        var got = await Eventually.WaitForAsync(async () => await mock.GetFromJsonAsync<JsonElement>($"/mock/webhooks/{receiver}"), r => r.GetProperty("accepted").GetArrayLength() >= expectedEvents);
        Assert.Equal(0, got.GetProperty("badSignatures").GetInt32());
        var bodies = got.GetProperty("accepted").EnumerateArray().Select(a => JsonDocument.Parse(a.GetProperty("body").GetString()!).RootElement).ToList();
        Assert.Equal(expectedEvents, bodies.Count);
        Assert.All(bodies, b => Assert.Equal("record.deleted", b.GetProperty("type").GetString()));
        Assert.Equal(goneProducts.Order(), bodies.Where(b => b.GetProperty("data").GetProperty("entityType").GetString() == "products").Select(b => b.GetProperty("data").GetProperty("externalId").GetString()!).Order());

        // Read again, nothing more is deleted and nothing is sent again.
        var again = await RunAsync(client, connectionId, "full", "succeeded");
        Assert.Equal(0, Counter(again, "products", "deleted") + Counter(again, "customers", "deleted") + Counter(again, "prices", "deleted"));
    }

    /// <summary>
    /// Shopify lists its deletions (the <c>events</c> query, <c>action:destroy</c>): products, customers and orders deleted
    /// at the shop become tombstones at the next incremental run, each with one <c>record.deleted</c>; records changed
    /// meanwhile (<c>update</c> events) stay live, and a second run sends nothing again.
    /// </summary>
    [Fact]
    public async Task Shopify_deletions_become_tombstones_at_the_next_incremental_sync_from_its_events()
    {
        await using var host = new HostApp(storage, "deleteshopev", new Dictionary<string, string?>
        {
            ["Webhooks:RetrySchedule:0"] = "00:00:00.200",
            ["Webhooks:SweepInterval"] = "00:00:00.100",
            ["Webhooks:SweepAfter"] = "00:00:00",
            ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["Sync:OverlapWindow"] = "00:00:01",
        });
        var client = host.Client();
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-delete-events", MarketplaceNames.Shopify, "delete-events-shop", new SimStoreConfig { Orders = 40, Products = 150, Customers = 40, Seed = 84 });
        var receiver = $"deleted-{Guid.NewGuid():N}";
        var endpoint = await (await client.PostJsonAsync("/api/webhooks", new { organizationId = "org-delete-events", events = new[] { "record.deleted" }, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}" })).ReadJsonAsync();
        using var mock = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
        Assert.Equal(HttpStatusCode.NoContent, (await mock.PutAsJsonAsync($"/mock/webhooks/{receiver}/secret", new { secret = endpoint.GetProperty("secret").GetString() })).StatusCode);
        await RunAsync(client, connectionId, "full", "succeeded");

        // Changed and deleted after the full read; the changed ones have update events the deletions' filter must leave out.
        store.MutateAt(SimKind.Products, [1, 2, 60], DateTimeOffset.UtcNow);
        store.Delete(SimKind.Products, DeletedProducts);
        store.Delete(SimKind.Customers, DeletedCustomers);
        store.Delete(SimKind.Orders, [7]);
        var incremental = await RunAsync(client, connectionId, "incremental", "succeeded");
        Assert.Equal((4L, 2L, 1L), (Counter(incremental, "products", "deleted"), Counter(incremental, "customers", "deleted"), Counter(incremental, "orders", "deleted")));

        var ids = (SimKind kind, int[] indexes) => indexes.Select(i => (kind switch
        {
            SimKind.Products => SimCatalog.ProductId(i),
            SimKind.Customers => SimCatalog.CustomerId(i),
            _ => SimCatalog.OrderId(i),
        }).ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        foreach (var (type, kind, gone) in new[] { ("products", SimKind.Products, DeletedProducts), ("customers", SimKind.Customers, DeletedCustomers), ("orders", SimKind.Orders, new[] { 7 }) })
        {
            var all = await ListAsync(client, connectionId, type, includeDeleted: true);
            Assert.Equal(ids(kind, gone), all.Where(r => r.Value.GetProperty("deleted").GetBoolean()).Select(r => r.Key).Order());
            Assert.Equal(Expected.For(store, EntityTypes.Parse(type)).Keys.Order(), (await ListAsync(client, connectionId, type, includeDeleted: false)).Keys.Order());
        }

        var expectedEvents = DeletedProducts.Length + DeletedCustomers.Length + 1;
        var got = await Eventually.WaitForAsync(async () => await mock.GetFromJsonAsync<JsonElement>($"/mock/webhooks/{receiver}"), r => r.GetProperty("accepted").GetArrayLength() >= expectedEvents);
        Assert.Equal(expectedEvents, got.GetProperty("accepted").GetArrayLength());

        // The same events listed again by the next run's overlap change nothing and send nothing.
        var again = await RunAsync(client, connectionId, "incremental", "succeeded");
        Assert.Equal(0, Counter(again, "products", "deleted") + Counter(again, "customers", "deleted") + Counter(again, "orders", "deleted"));
        var settled = await RunAsync(client, connectionId, "incremental", "succeeded");
        Assert.Equal(0, Counter(settled, "products", "deleted"));
        Assert.Equal(expectedEvents, (await mock.GetFromJsonAsync<JsonElement>($"/mock/webhooks/{receiver}")).GetProperty("accepted").GetArrayLength());
    }

    /// <summary>
    /// A WooCommerce <c>product.deleted</c> notification tombstones the product at once, once the store itself answers
    /// that it is gone (404); one that names a product the store still has tombstones nothing (the payload is a hint).
    /// </summary>
    [Fact]
    public async Task A_WooCommerce_deletion_notification_checked_with_the_store_tombstones_at_once()
    {
        await using var host = new HostApp(storage, "deletenotify", new Dictionary<string, string?> { ["Scheduler:EnabledByDefault"] = "false" });
        var baseUrl = host.StartOnFreePort();
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", HostApp.AdminKey);
        const string storeId = "woo-delete-notify";
        const string secret = "wc-secret-delete";
        var credentials = new Dictionary<string, string>(SyncHarness.CredentialsFor(MarketplaceNames.WooCommerce, storeId)) { ["webhookSecret"] = secret };
        var store = simulator.State.PutStore(MarketplaceNames.WooCommerce, storeId, new SimStoreConfig { Orders = 20, Products = 40, Customers = 10, Seed = 83, Credentials = credentials });
        var connectionId = (await (await client.PostJsonAsync("/api/connections", new
        {
            organizationId = "org-delete", marketplace = MarketplaceNames.WooCommerce, externalStoreId = storeId, name = storeId, credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor(MarketplaceNames.WooCommerce, storeId) },
        })).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        await RunAsync(client, connectionId, "full", "succeeded");

        // Signed, but about a product the store still has: checked, not believed.
        var kept = SimCatalog.ProductId(3).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = $"{{\"id\":{kept}}}";
        using var claim = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/{connectionId}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        claim.Headers.Add("X-WC-Webhook-Topic", "product.deleted");
        claim.Headers.Add("X-WC-Webhook-Signature", Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(body))));
        var answer = await (await new HttpClient { BaseAddress = new Uri(baseUrl) }.SendAsync(claim)).ReadJsonAsync();
        Assert.NotEqual("deleted", answer.GetProperty("outcome").GetString());
        Assert.False((await (await client.GetAsync($"/api/connections/{connectionId}/records/products/{kept}")).ReadJsonAsync()).GetProperty("deleted").GetBoolean());

        // Deleted at the store, notified: a tombstone within seconds, no full sync needed.
        store.Subscription = new SimSubscription($"{baseUrl}/api/notifications/{connectionId}", secret);
        try
        {
            store.Delete(SimKind.Products, [7]);
            var gone = SimCatalog.ProductId(7).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Eventually.WaitForAsync(
                async () => (await (await client.GetAsync($"/api/connections/{connectionId}/records/products/{gone}")).ReadJsonAsync()).GetProperty("deleted").GetBoolean(),
                deleted => deleted, TimeSpan.FromSeconds(30));
            var counts = (await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync()).GetProperty("records");
            Assert.Equal(39, counts.GetProperty("products").GetInt64());
        }
        finally
        {
            store.Subscription = null;
        }
    }

    [Theory]
    [InlineData(MarketplaceNames.Etsy)]
    [InlineData(MarketplaceNames.Shopify)]
    public async Task Deleted_listings_and_products_become_tombstones_after_the_next_full_sync(string marketplace)
    {
        await using var harness = new SyncHarness(storage, simulator, "delete" + marketplace[..4]);
        var (connection, store) = await harness.AddStoreAsync(marketplace, marketplace == MarketplaceNames.Etsy ? "7100431" : "delete-shop", new SimStoreConfig { Orders = 0, Products = 150, Customers = 0, Seed = 82 });
        var types = new[] { EntityType.Products, EntityType.Prices };
        var first = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, types), CancellationToken.None);
        Assert.True(first.Run!.Status == RunStatus.Succeeded, first.Run.Error);

        store.Delete(SimKind.Products, DeletedProducts);
        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, types), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        Assert.Equal(DeletedProducts.Length, full.Run.Entity(EntityType.Products)!.Counters.Deleted);

        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in types)
        {
            var live = snapshot[type].Where(r => !r.Value.State.Deleted).ToDictionary();
            Expected.Matches(Expected.For(store, type), live, $"{marketplace} {type} after deletions");
            Assert.Equal(snapshot[type].Count - live.Count, full.Run.Entity(type)!.Counters.Deleted);
        }

        var gone = snapshot[EntityType.Products].Values.Where(r => r.State.Deleted).Select(r => r.Record.ExternalId).Order().ToList();
        Assert.Equal(DeletedProducts.Select(i => SimCatalog.ProductId(i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), gone);
    }

    private static async Task<JsonElement> RunAsync(HttpClient client, string connectionId, string mode, string status, string[]? entityTypes = null)
    {
        var triggered = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode, entityTypes });
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var run = await client.WaitForRunAsync((await triggered.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        Assert.True(run.GetProperty("status").GetString() == status, run.ToString());
        return run;
    }

    private static long Counter(JsonElement run, string type, string name) =>
        run.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityType").GetString() == type).GetProperty("counters").GetProperty(name).GetInt64();

    private static async Task<Dictionary<string, JsonElement>> ListAsync(HttpClient client, string connectionId, string type, bool includeDeleted)
    {
        var records = new Dictionary<string, JsonElement>();
        string? token = null;
        do
        {
            var url = $"/api/connections/{connectionId}/records/{type}?pageSize=500&includeDeleted={(includeDeleted ? "true" : "false")}" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await client.GetAsync(url)).ReadJsonAsync();
            foreach (var record in page.GetProperty("records").EnumerateArray())
            {
                records.Add(record.GetProperty("record").GetProperty("externalId").GetString()!, record);
            }

            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);
        return records;
    }
}

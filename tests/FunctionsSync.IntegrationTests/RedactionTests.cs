using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Shopify's <c>customers/redact</c>, signed as Shopify signs it, over HTTP on the self-hosted runtime: the customer's
/// personal data leaves every table of the deployment. A scan that knows the customer's email, which finds it in the
/// stored customer, in their orders and in a conflict's marketplace version before, finds it nowhere after. A forged
/// request is a 401 and erases nothing.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RedactionTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string Secret = "shopify-client-secret-redact";
    private const string Prefix = "redact";

    [Fact]
    public async Task A_customers_redact_erases_the_customers_personal_data_from_every_table()
    {
        await using var host = new HostApp(storage, Prefix, new Dictionary<string, string?> { ["Sync:OverlapWindow"] = "00:00:01" });
        var client = host.Client();
        const string storeId = "redact-shop";
        var credentials = new Dictionary<string, string>(SyncHarness.CredentialsFor(MarketplaceNames.Shopify, storeId)) { ["webhookSecret"] = Secret };
        var store = simulator.State.PutStore(MarketplaceNames.Shopify, storeId, new SimStoreConfig { Orders = 80, Products = 5, Customers = 12, Seed = 97, Credentials = credentials });
        var connectionId = (await (await client.PostJsonAsync("/api/connections", new
        {
            organizationId = "org-redact", marketplace = MarketplaceNames.Shopify, externalStoreId = storeId, name = storeId, credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor(MarketplaceNames.Shopify, storeId) },
        })).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        await SyncAsync(client, connectionId, "full");

        // A customer with orders; a conflict on one of them keeps the marketplace version (with the email).
        var orders = Enumerable.Range(0, 80).Select(i => (Index: i, Order: SimCatalog.Order(store, store.Current(SimKind.Orders, i)))).ToList();
        var customerId = orders.First(o => o.Order.CustomerId is not null && o.Order.Email is not null).Order.CustomerId!.Value;
        var theirs = orders.Where(o => o.Order.CustomerId == customerId).ToList();
        var email = theirs[0].Order.Email!;
        var orderId = theirs[0].Order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var record = (await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{orderId}")).ReadJsonAsync()).GetProperty("record");
        var edited = System.Text.Json.Nodes.JsonNode.Parse(record.GetRawText())!.AsObject();
        edited["status"] = "held-by-warehouse";
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/connections/{connectionId}/records/orders/{orderId}", new StringContent(edited.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);
        store.MutateAt(SimKind.Orders, [theirs[0].Index], DateTimeOffset.UtcNow);
        await SyncAsync(client, connectionId, "incremental");
        var prefix = TestRun.Prefixed(Prefix);
        var before = await TableScan.FindAsync(storage, prefix, [email]);
        Assert.True(before.Count >= 3, $"the email is stored (customer, orders, conflict): {string.Join("; ", before)}");

        var body = JsonSerializer.Serialize(new
        {
            shop_id = 954889, shop_domain = $"{storeId}.myshopify.com",
            customer = new { id = customerId, email, phone = "555-625-1199" },
            orders_to_redact = theirs.Select(o => o.Order.Id).ToArray(),
        });

        // Forged: 401, nothing erased.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, connectionId, body, Sign("not-the-secret", body))).StatusCode);
        Assert.Equal(before.Count, (await TableScan.FindAsync(storage, prefix, [email])).Count);

        using var redacted = await SendAsync(host, connectionId, body, Sign(Secret, body));
        Assert.Equal(HttpStatusCode.OK, redacted.StatusCode);
        var answer = await redacted.ReadJsonAsync();
        Assert.Equal("redacted", answer.GetProperty("outcome").GetString());
        var summary = answer.GetProperty("redaction");
        Assert.Equal((true, theirs.Count, 1), (summary.GetProperty("customerErased").GetBoolean(), summary.GetProperty("ordersRedacted").GetInt32(), summary.GetProperty("conflictVersionsDropped").GetInt32()));

        Assert.Empty(await TableScan.FindAsync(storage, prefix, [email]));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/connections/{connectionId}/records/customers/{customerId}")).StatusCode);
        var order = (await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{orderId}")).ReadJsonAsync()).GetProperty("record");
        Assert.False(order.TryGetProperty("email", out var left) && left.ValueKind == JsonValueKind.String);
        var activity = (await (await client.GetAsync($"/api/connections/{connectionId}/activity")).ReadJsonAsync()).GetProperty("activity");
        Assert.Contains(activity.EnumerateArray(), e => e.GetProperty("action").GetString() == "customer.redacted" && e.GetProperty("subject").GetString() == $"customers {customerId}");
    }

    /// <summary>
    /// Shopify's <c>shop/redact</c> (48 hours after the app's uninstall): every stored record of the shop is deleted, its
    /// conflicts drop the marketplace versions they kept, and the connection is disabled; a scan that knows every
    /// customer's email finds none of them after. A forged request erases nothing.
    /// </summary>
    [Fact]
    public async Task A_shop_redact_erases_every_record_of_the_shop_and_disables_its_connection()
    {
        await using var host = new HostApp(storage, Prefix + "shop", new Dictionary<string, string?> { ["Sync:OverlapWindow"] = "00:00:01" });
        var client = host.Client();
        const string storeId = "redact-whole-shop";
        var credentials = new Dictionary<string, string>(SyncHarness.CredentialsFor(MarketplaceNames.Shopify, storeId)) { ["webhookSecret"] = Secret };
        var store = simulator.State.PutStore(MarketplaceNames.Shopify, storeId, new SimStoreConfig { Orders = 60, Products = 8, Customers = 10, Seed = 98, Credentials = credentials });
        var connectionId = (await (await client.PostJsonAsync("/api/connections", new
        {
            organizationId = "org-redact-shop", marketplace = MarketplaceNames.Shopify, externalStoreId = storeId, name = storeId, credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor(MarketplaceNames.Shopify, storeId) },
        })).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        await SyncAsync(client, connectionId, "full");

        // A conflict on an order keeps the marketplace version, with its customer's email.
        var order = Enumerable.Range(0, 60).Select(i => (Index: i, Order: SimCatalog.Order(store, store.Current(SimKind.Orders, i)))).First(o => o.Order.Email is not null);
        var orderId = order.Order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var edited = System.Text.Json.Nodes.JsonNode.Parse((await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{orderId}")).ReadJsonAsync()).GetProperty("record").GetRawText())!.AsObject();
        edited["status"] = "held";
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/connections/{connectionId}/records/orders/{orderId}", new StringContent(edited.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);
        store.MutateAt(SimKind.Orders, [order.Index], DateTimeOffset.UtcNow);
        await SyncAsync(client, connectionId, "incremental");
        var emails = Enumerable.Range(0, 10).Select(i => SimCatalog.Customer(store, store.Current(SimKind.Customers, i)).Email).ToList();
        var prefix = TestRun.Prefixed(Prefix + "shop");
        Assert.True((await TableScan.FindAsync(storage, prefix, emails)).Count >= 10, "the customers' emails are stored");

        var body = JsonSerializer.Serialize(new { shop_id = 954890, shop_domain = $"{storeId}.myshopify.com" });
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, connectionId, body, Sign("not-the-secret", body), "shop/redact")).StatusCode);
        Assert.NotEmpty(await TableScan.FindAsync(storage, prefix, emails));

        using var redacted = await SendAsync(host, connectionId, body, Sign(Secret, body), "shop/redact");
        Assert.Equal(HttpStatusCode.OK, redacted.StatusCode);
        var answer = await redacted.ReadJsonAsync();
        Assert.Equal("redacted", answer.GetProperty("outcome").GetString());
        Assert.True(answer.GetProperty("shopRedaction").GetProperty("recordsErased").GetInt64() >= 60 + 8 + 10);
        Assert.Equal(1, answer.GetProperty("shopRedaction").GetProperty("conflictVersionsDropped").GetInt32());

        Assert.Empty(await TableScan.FindAsync(storage, prefix, emails));
        foreach (var type in new[] { "orders", "customers", "products", "prices" })
        {
            var listed = await (await client.GetAsync($"/api/connections/{connectionId}/records/{type}?includeDeleted=true")).ReadJsonAsync();
            Assert.Equal(0, listed.GetProperty("records").GetArrayLength());
        }

        Assert.False((await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync()).GetProperty("enabled").GetBoolean());
        var activity = (await (await client.GetAsync($"/api/connections/{connectionId}/activity")).ReadJsonAsync()).GetProperty("activity");
        Assert.Contains(activity.EnumerateArray(), e => e.GetProperty("action").GetString() == "shop.redacted");
    }

    private static async Task SyncAsync(HttpClient client, string connectionId, string mode)
    {
        var triggered = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode })).ReadJsonAsync();
        var run = await client.WaitForRunAsync(triggered.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        Assert.True(run.GetProperty("status").GetString() is "succeeded" or "partial", run.ToString());
    }

    private static Task<HttpResponseMessage> SendAsync(HostApp host, string connectionId, string body, string signature, string topic = "customers/redact")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/{connectionId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", signature);
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        return host.Client(key: null).SendAsync(request);
    }

    private static string Sign(string secret, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}

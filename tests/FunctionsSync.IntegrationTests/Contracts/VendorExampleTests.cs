using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// The adapters read the vendors' own published example payloads (SP-API model examples and sandbox responses, the
/// WooCommerce reference's response examples), served over HTTP as a marketplace would, to the canonical records
/// spelled out here.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class VendorExampleTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [ContractFact]
    public async Task Amazon_searchOrders_and_getOrders_examples_become_these_orders()
    {
        await using var server = await ExampleServer.StartAsync(app =>
        {
            app.MapGet("/orders/2026-01-01/orders", () => Results.Json(VendorExamples.Amazon("orders_2026-01-01.json", "/orders/2026-01-01/orders")));
            app.MapGet("/orders/v0/orders", () => Results.Json(VendorExamples.Amazon("ordersV0.json", "/orders/v0/orders")));
        });
        await using var harness = new SyncHarness(storage, simulator, "vendoramz");
        var since = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var search = await FetchAsync(harness, Connection(MarketplaceNames.Amazon, server.Url, new() { ["accessToken"] = "Atza|example" }), EntityType.Orders, since);
        AssertRecords(
            [
                new OrderRecord
                {
                    ExternalId = "123-4567890-1234567", OrderNumber = "123-4567890-1234567", UpdatedAt = At("2024-12-25T14:45:00Z"), CreatedAt = At("2024-12-25T10:30:00Z"),
                    Status = "Shipped", Currency = "USD", Total = 154.99m,
                    Lines = [new OrderLine("ECHO-DOT-4-CHARCOAL", "B08N5WRWNW", "ECHO-DOT-4-CHARCOAL", 2, 49.99m), new OrderLine("FIRE-TV-4K-2021", "B07XJ8C8F5", "FIRE-TV-4K-2021", 1, 49.99m)],
                },
            ],
            search.Records);
        Assert.NotNull(search.NextPageToken);

        var v0 = await FetchAsync(harness, Connection(MarketplaceNames.Amazon, server.Url, new() { ["accessToken"] = "Atza|example" }, new() { ["ordersApi"] = "v0", ["orderItems"] = "false" }), EntityType.Orders, since);
        var first = Assert.IsType<OrderRecord>(v0.Records[0]);
        // The model's example is a pending order: Amazon leaves its total out, which the adapter reads as none yet.
        Assert.Equal(("902-3159896-1390916", "Pending", "", 0m, At("2017-01-20T19:49:35Z")), (first.ExternalId, first.Status, first.Currency, first.Total, first.UpdatedAt));
        Assert.Empty(v0.Rejected);
    }

    [ContractFact]
    public async Task WooCommerce_reference_examples_become_these_records()
    {
        var variations = VendorExamples.WooCommerce("_product-variations.md", "## List all product variations ##");
        await using var server = await ExampleServer.StartAsync(app =>
        {
            app.MapGet("/wp-json/wc/v3/orders", () => Results.Json(new JsonArray(VendorExamples.WooCommerce("_orders.md", "## Retrieve an order ##"))));
            app.MapGet("/wp-json/wc/v3/products", () => Results.Json(VendorExamples.WooCommerce("_products.md", "## List all products ##")));
            app.MapGet("/wp-json/wc/v3/products/{id}/variations", (string id) => id == "799" ? Results.Json(variations) : Results.Json(new JsonArray()));
            app.MapGet("/wp-json/wc/v3/customers", () => Results.Json(new JsonArray(VendorExamples.WooCommerce("_customers.md", "## Retrieve a customer ##"))));
        });
        await using var harness = new SyncHarness(storage, simulator, "vendorwoo");
        var connection = Connection(MarketplaceNames.WooCommerce, server.Url, new() { ["consumerKey"] = "ck_example", ["consumerSecret"] = "cs_example" });

        AssertRecords(
            [
                new OrderRecord
                {
                    ExternalId = "727", OrderNumber = "727", UpdatedAt = At("2017-03-22T19:28:08Z"), CreatedAt = At("2017-03-22T19:28:02Z"),
                    Status = "processing", Currency = "USD", Total = 29.35m, Email = "john.doe@example.com",
                    Lines = [new OrderLine("315", "93", "", 2, 3m), new OrderLine("316", "22", "Bar3", 1, 12m)],
                },
            ],
            (await FetchAsync(harness, connection, EntityType.Orders, null)).Records);

        // The variable product 799 has no price, SKU or stock of its own: its variations (733, 732) are priced.
        AssertRecords(
            [
                new ProductRecord { ExternalId = "799", UpdatedAt = At("2017-03-23T20:03:12Z"), Title = "Ship Your Idea", Status = "publish", Skus = [], Inventory = [] },
                new ProductRecord { ExternalId = "794", UpdatedAt = At("2017-03-23T20:01:14Z"), Title = "Premium Quality", Status = "publish", Skus = [], Inventory = [] },
            ],
            (await FetchAsync(harness, connection, EntityType.Products, null)).Records);
        AssertRecords(
            [
                new PriceRecord { ExternalId = "733", UpdatedAt = At("2017-03-23T20:03:12Z"), ProductExternalId = "799", Currency = "USD", Amount = 9.00m },
                new PriceRecord { ExternalId = "732", UpdatedAt = At("2017-03-23T20:03:12Z"), ProductExternalId = "799", Currency = "USD", Amount = 9.00m },
                new PriceRecord { ExternalId = "794", UpdatedAt = At("2017-03-23T20:01:14Z"), ProductExternalId = "794", Currency = "USD", Amount = 21.99m },
            ],
            (await FetchAsync(harness, connection, EntityType.Prices, null)).Records);
        AssertRecords(
            [new CustomerRecord { ExternalId = "25", UpdatedAt = At("2017-03-21T19:09:30Z"), Email = "john.doe@example.com", FirstName = "John", LastName = "Doe" }],
            (await FetchAsync(harness, connection, EntityType.Customers, null)).Records);
    }

    private static async Task<FetchPage> FetchAsync(SyncHarness harness, Connection connection, EntityType type, DateTimeOffset? since) =>
        await harness.Services.GetRequiredService<IMarketplaceAdapterRegistry>().Get(connection.Marketplace)
            .FetchPageAsync(connection, new FetchRequest(type, since, null, 100), CancellationToken.None);

    private static Connection Connection(string marketplace, string baseUrl, Dictionary<string, string> credentials, Dictionary<string, string>? settings = null) => new()
    {
        Id = $"vendor-{marketplace}-{Guid.NewGuid():N}",
        OrganizationId = "org-vendor",
        Marketplace = marketplace,
        ExternalStoreId = "example",
        Name = "vendor example",
        SyncTokenHash = "unused",
        Credentials = credentials,
        Settings = new Dictionary<string, string>(settings ?? []) { ["baseUrl"] = baseUrl },
    };

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    /// <summary>Records equal field for field (compared as their JSON, lists included).</summary>
    private static void AssertRecords(IReadOnlyList<CanonicalRecord> expected, IReadOnlyList<CanonicalRecord> actual) =>
        Assert.Equal(string.Join("\n", expected.Select(r => JsonSerializer.Serialize(r))), string.Join("\n", actual.Select(r => JsonSerializer.Serialize(r))));

    /// <summary>A marketplace stand-in on a free port that serves the vendor's examples.</summary>
    private sealed class ExampleServer(WebApplication app) : IAsyncDisposable
    {
        public string Url => app.Urls.First().TrimEnd('/');

        public static async Task<ExampleServer> StartAsync(Action<WebApplication> map)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            map(app);
            await app.StartAsync();
            return new ExampleServer(app);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}

using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// Every request each adapter sends in a full and an incremental sync is one the marketplace's own contract declares:
/// its operation, its query parameters, their values inside the declared enums and ranges; every GraphQL document the
/// Shopify adapter sends validates against Shopify's Admin schema of the version it names; and the simulator's answers
/// to those requests fit the vendor's response schemas. Read from ../shared/contracts at run time (skipped, with the
/// reason, where the folder is absent).
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class AdapterContractTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [ContractFact]
    public async Task Etsy_requests_are_declared_by_its_OpenAPI_document_and_answers_fit_it()
    {
        var contract = OpenApiContract.Load("etsy/etsy-openapi-v3.json");
        var (store, requests) = await SyncAsync(MarketplaceNames.Etsy, "6200001", new SimStoreConfig { Orders = 130, Products = 260, Customers = 0, Seed = 61 }, new() { ["batchSize"] = "40" });
        var answered = requests.Answered();
        Assert.Contains(answered, r => r.Path.Contains("/listings?", StringComparison.Ordinal));
        Assert.Contains(answered, r => r.Path.Contains("/receipts?", StringComparison.Ordinal));
        AssertNone(answered.SelectMany(r => contract.CheckRequest(r.Method, r.Path)), "Etsy requests");
        await AssertAnswersFitAsync(requests, answered, (path, status, body) => contract.CheckResponse("GET", path, status, body), "Etsy answers");
    }

    [ContractFact]
    public async Task Amazon_requests_are_declared_by_the_SP_API_models_and_answers_fit_them()
    {
        string[] models = ["amazon/orders_2026-01-01.json", "amazon/ordersV0.json", "amazon/reports_2021-06-30.json"];
        var contracts = models.Select(OpenApiContract.Load).ToList();
        var settings = new Dictionary<string, string> { ["historyStart"] = "2023-12-01T00:00:00Z", ["reportWindowDays"] = "3650" };
        var (store, requests) = await SyncAsync(MarketplaceNames.Amazon, "amz-contract", new SimStoreConfig { Orders = 260, Products = 20, Seed = 62, ReportMaxDays = 3650 }, settings);
        // The v0 operations, still behind a setting, are held to their model too.
        var (v0Store, v0Requests) = await SyncAsync(MarketplaceNames.Amazon, "amz-contract-v0", new SimStoreConfig { Orders = 90, Products = 20, Seed = 63 }, new() { ["fullSync"] = "orders", ["ordersApi"] = "v0" });

        foreach (var (what, source) in new[] { ("2026-01-01 and reports", requests), ("v0", v0Requests) })
        {
            // A report document is fetched from the URL getReportDocument gave: not an operation of the API.
            var answered = source.Answered().Where(r => !r.Path.StartsWith("/report-files/", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(answered);
            AssertNone(answered.SelectMany(r => Owner(contracts, r.Method, r.Path)?.CheckRequest(r.Method, r.Path) ?? [$"{r.Method} {r.Path}: in none of {string.Join(", ", models)}"]), $"Amazon requests ({what})");
            await AssertAnswersFitAsync(source, answered.Where(r => r.Method == "GET").ToList(), (path, status, body) => Owner(contracts, "GET", path)!.CheckResponse("GET", path, status, body), $"Amazon answers ({what})");
        }

        Assert.Contains(requests.Answered(), r => r.Path.StartsWith("/orders/2026-01-01/orders?", StringComparison.Ordinal));
        Assert.Contains(v0Requests.Answered(), r => r.Path.Contains("/orderItems", StringComparison.Ordinal));
        requests.Dispose();
        v0Requests.Dispose();
        _ = (store, v0Store);
    }

    [ContractFact]
    public async Task WooCommerce_requests_are_registered_by_core_and_answers_have_the_documented_fields()
    {
        var contract = WooCommerceContract.Load();
        Assert.Equal(4, contract.Endpoints.Count);
        var (_, requests) = await SyncAsync(MarketplaceNames.WooCommerce, "woo-contract-check", new SimStoreConfig { Orders = 140, Products = 120, Customers = 160, Seed = 64 }, new() { ["batchSize"] = "50" });
        var answered = requests.Answered();
        Assert.Contains(answered, r => r.Path.Contains("/variations?", StringComparison.Ordinal));
        AssertNone(answered.SelectMany(r => contract.CheckRequest(r.Path)), "WooCommerce requests");
        await AssertAnswersFitAsync(requests, answered, (path, status, body) =>
            status != 200 ? [$"{path}: {status}"] : body.EnumerateArray().SelectMany(item => contract.CheckResource(WooCommerceContract.EndpointOf(path.Split('?')[0])!, item)).ToList(),
            "WooCommerce answers");
    }

    [ContractFact]
    public async Task Every_Shopify_GraphQL_document_validates_against_the_Admin_schema_of_its_version()
    {
        foreach (var version in new[] { "2026-01", "2026-04" })
        {
            var schema = ShopifySchema.For(version) ?? throw new InvalidOperationException($"no Admin schema of {version} among the contracts");
            var (store, requests) = await SyncAsync(MarketplaceNames.Shopify, "gql-contract-" + version, new SimStoreConfig { Orders = 120, Products = 60, Customers = 40, Seed = 65 }, new() { ["apiVersion"] = version });
            requests.Dispose();
            var documents = store.GraphQlDocuments.Keys.ToList();
            // Paged queries (incremental), deletions, counts, the bulk mutation and its polls, and the bulk queries themselves.
            Assert.Contains(documents, d => d.Bulk);
            Assert.Contains(documents, d => d.Text.Contains("bulkOperationRunQuery", StringComparison.Ordinal));
            Assert.Contains(documents, d => d.Text.StartsWith("query Page", StringComparison.Ordinal));
            // The deletions an incremental run reads: the events query, not the deprecated deletionEvents.
            Assert.Contains(documents, d => d.Text.StartsWith("query Deletions", StringComparison.Ordinal) && !d.Text.Contains("deletionEvents", StringComparison.Ordinal));
            Assert.All(documents, d => Assert.Equal(version, d.Version));
            AssertNone(documents.SelectMany(d => schema.Validate(d.Text).Select(e => $"{(d.Bulk ? "bulk query" : "document")} {Short(d.Text)}: {e}")), $"GraphQL documents ({version})");
        }
    }

    /// <summary>A full sync, changes, an incremental sync: the requests both made.</summary>
    private async Task<(SimStore Store, ContractRequests Requests)> SyncAsync(string marketplace, string storeId, SimStoreConfig config, Dictionary<string, string> settings)
    {
        await using var harness = new SyncHarness(storage, simulator, "contract" + Math.Abs(storeId.GetHashCode(StringComparison.Ordinal) % 100_000));
        var (connection, store) = await harness.AddStoreAsync(marketplace, storeId, config, settings: settings);
        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        if (config.Orders > 0)
        {
            store.Mutate(SimKind.Orders, 5, DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        if (config.Products > 0 && marketplace != MarketplaceNames.Amazon)
        {
            store.Mutate(SimKind.Products, 5, DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        return (store, new ContractRequests(simulator, store));
    }

    private static OpenApiContract? Owner(IEnumerable<OpenApiContract> contracts, string method, string pathAndQuery) =>
        contracts.FirstOrDefault(c => c.Find(method, pathAndQuery.Split('?')[0]) is not null);

    /// <summary>Asks the simulator each distinct request again (up to 40) and checks its answer.</summary>
    private static async Task AssertAnswersFitAsync(ContractRequests requests, IReadOnlyList<(string Method, string Path)> answered, Func<string, int, System.Text.Json.JsonElement, IReadOnlyList<string>> check, string what)
    {
        var errors = new List<string>();
        foreach (var path in answered.Select(r => r.Path).Distinct().Take(40))
        {
            var (status, body) = await requests.GetAsync(path);
            using (body)
            {
                errors.AddRange(check(path, status, body.RootElement));
            }
        }

        AssertNone(errors, what);
    }

    private static void AssertNone(IEnumerable<string> errors, string what)
    {
        var distinct = errors.Distinct().ToList();
        Assert.True(distinct.Count == 0, $"{what} break the contract ({distinct.Count}):\n{string.Join("\n", distinct.Take(15))}");
    }

    private static string Short(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

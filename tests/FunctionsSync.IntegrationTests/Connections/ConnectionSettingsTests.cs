using System.Net;
using System.Net.Http.Json;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests.Connections;

/// <summary>
/// A connection's settings are checked by the rules its adapter reads them with: what registration accepts is what
/// the sync sends (a page size was accepted up to 1,000 and silently cut to 200), and what it refuses names the limit
/// of the marketplace's own API.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ConnectionSettingsTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private object Registration(string marketplace, string storeId, Dictionary<string, string> settings) => new
    {
        organizationId = "org-settings",
        marketplace,
        externalStoreId = storeId,
        name = $"{marketplace} {storeId}",
        credentials = SyncHarness.CredentialsFor(marketplace, storeId),
        settings = new Dictionary<string, string>(settings) { ["baseUrl"] = simulator.BaseUrlFor(marketplace, storeId) },
    };

    [Theory]
    [InlineData("shopify", 250)]
    [InlineData("woocommerce", 100)]
    [InlineData("etsy", 100)]
    [InlineData("amazon", 100)]
    public async Task A_page_size_beyond_the_marketplaces_limit_is_refused_and_stores_nothing(string marketplace, int limit)
    {
        await using var host = new HostApp(storage, "settings" + marketplace[..3]);
        var client = host.Client();
        var storeId = $"settings-{marketplace}";
        foreach (var key in new[] { "pageSize", "batchSize" })
        {
            var refused = await client.PostJsonAsync("/api/connections", Registration(marketplace, storeId, new() { [key] = (limit + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await refused.ReadJsonAsync()).GetProperty("errors");
            Assert.Equal($"A whole number from 1 to {limit}.", errors.GetProperty($"settings.{key}")[0].GetString());
        }

        // Nothing was stored: the first registration that keeps the rule creates the connection.
        var accepted = await client.PostJsonAsync("/api/connections", Registration(marketplace, storeId, new() { ["pageSize"] = $"{limit}" }));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task The_page_size_a_connection_was_accepted_with_is_the_one_its_requests_ask_for()
    {
        await using var host = new HostApp(storage, "settingsuse");
        var client = host.Client();
        simulator.State.PutStore("shopify", "settings-use", new SimStoreConfig { Orders = 600, Products = 10, Customers = 10, Seed = 91, Credentials = SyncHarness.CredentialsFor("shopify", "settings-use") });
        var registered = await client.PostJsonAsync("/api/connections", Registration("shopify", "settings-use", new() { ["api"] = "rest", ["batchSize"] = "250" }));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var connectionId = (await registered.ReadJsonAsync()).GetProperty("connectionId").GetString()!;

        var trigger = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full", entityTypes = new[] { "orders" } });
        var runId = (await trigger.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
        var run = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());

        var pages = simulator.State.Requests.Where(r => r.StoreId == "settings-use" && r.Path.Contains("/orders.json?", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages, r => Assert.Contains("limit=250", r.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("shopify", "api", "soap", "One of: graphql, rest.")]
    [InlineData("shopify", "apiVersion", "2026-13", "An Admin API version, e.g. 2026-01, or unstable.")]
    [InlineData("woocommerce", "currency", "euro", "An ISO 4217 currency code in capitals, e.g. EUR.")]
    [InlineData("amazon", "marketplaceId", "us east", "An Amazon marketplace id, e.g. ATVPDKIKX0DER.")]
    [InlineData("amazon", "rateLimitCapacity", "0", "A number from 1 to 10000.")]
    public async Task A_setting_its_adapter_could_not_read_is_refused_on_PATCH_and_changes_nothing(string marketplace, string key, string value, string rule)
    {
        await using var host = new HostApp(storage, "settingspatch");
        var client = host.Client();
        var storeId = $"settings-patch-{marketplace}-{key}".ToLowerInvariant();
        var registered = await client.PostJsonAsync("/api/connections", Registration(marketplace, storeId, []));
        var connectionId = (await registered.ReadJsonAsync()).GetProperty("connectionId").GetString()!;

        var refused = await client.PatchAsync($"/api/connections/{connectionId}", JsonContent.Create(new { settings = new Dictionary<string, string> { [key] = value } }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(rule, (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty($"settings.{key}")[0].GetString());
        var connection = await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync();
        Assert.False(connection.GetProperty("settings").TryGetProperty(key, out _));
    }
}

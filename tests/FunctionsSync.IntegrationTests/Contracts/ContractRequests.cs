using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// The requests the simulator answered one store, as the marketplace would have received them (the simulator's own
/// prefix taken off), and a client that asks the simulator the same again with the store's credentials, so an answer
/// can be checked against the vendor's response schema.
/// </summary>
public sealed class ContractRequests(SimulatorFixture simulator, SimStore store) : IDisposable
{
    private readonly HttpClient client = Client(store);

    /// <summary>What the simulator puts before a marketplace's own path.</summary>
    public string Prefix => store.Marketplace switch
    {
        MarketplaceNames.Etsy => "/etsy",
        MarketplaceNames.WooCommerce => $"/woocommerce/{store.StoreId}/wp-json/wc/v3",
        _ => $"/{store.Marketplace}/{store.StoreId}",
    };

    /// <summary>Method and path (with query, without the simulator's prefix) of each request answered without an error.</summary>
    public IReadOnlyList<(string Method, string Path)> Answered() =>
        [.. simulator.State.Requests
            .Where(r => r.StoreId == store.StoreId && r.Marketplace == store.Marketplace && r.Status < 400 && r.Path.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(r => (r.Method, r.Path[Prefix.Length..]))];

    /// <summary>The simulator's answer to a GET of <paramref name="path"/> (without the prefix), as status and JSON.</summary>
    public async Task<(int Status, JsonDocument Body)> GetAsync(string path)
    {
        using var response = await client.GetAsync(new Uri(simulator.BaseUrl + Prefix + path));
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    public void Dispose() => client.Dispose();

    private static HttpClient Client(SimStore store)
    {
        var credentials = SyncHarness.CredentialsFor(store.Marketplace, store.StoreId);
        var client = new HttpClient();
        switch (store.Marketplace)
        {
            case MarketplaceNames.Etsy:
                client.DefaultRequestHeaders.Add("x-api-key", credentials["apiKey"]);
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credentials["accessToken"]);
                break;
            case MarketplaceNames.Amazon:
                client.DefaultRequestHeaders.Add("x-amz-access-token", credentials["accessToken"]);
                break;
            case MarketplaceNames.WooCommerce:
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                    "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials["consumerKey"]}:{credentials["consumerSecret"]}")));
                break;
        }

        return client;
    }
}

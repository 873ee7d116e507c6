using System.Net;
using System.Text.Json;
using FunctionsSync.IntegrationTests.Infrastructure;

namespace FunctionsSync.IntegrationTests.Connections;

/// <summary>
/// <c>GET /api/connections</c> pages: following the tokens lists every connection of the scope once, the organization
/// and health filters hold across pages, and a request reads one page whatever the number of connections.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ConnectionListPagingTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private async Task<string> RegisterAsync(HttpClient client, string organizationId, string storeId)
    {
        var response = await client.PostJsonAsync("/api/connections", new
        {
            organizationId, marketplace = "woocommerce", externalStoreId = storeId, name = storeId,
            credentials = SyncHarness.CredentialsFor("woocommerce", storeId),
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("woocommerce", storeId) },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("connectionId").GetString()!;
    }

    private static async Task<(List<string> Ids, int Pages)> AllAsync(HttpClient client, string query)
    {
        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var path = $"/api/connections?{query}" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await (await client.GetAsync(path)).ReadJsonAsync();
            Assert.True(page.GetProperty("connections").GetArrayLength() <= 3, page.ToString());
            ids.AddRange(page.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("connectionId").GetString()!));
            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        return (ids, pages);
    }

    [Fact]
    public async Task Following_the_tokens_lists_each_connection_of_the_scope_once()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("connpages"));
        var client = host.Client();
        var north = new List<string>();
        var south = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            north.Add(await RegisterAsync(client, "org-north", $"north-{i}"));
        }

        for (var i = 0; i < 4; i++)
        {
            south.Add(await RegisterAsync(client, "org-south", $"south-{i}"));
        }

        var deleted = south[3];
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/connections/{deleted}")).StatusCode);

        var all = await AllAsync(client, "pageSize=3");
        Assert.Equal(north.Concat(south.Take(3)).Order(StringComparer.Ordinal), all.Ids.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal(all.Ids.Count, all.Ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(4, all.Pages);

        var ofNorth = await AllAsync(client, "pageSize=3&organizationId=org-north");
        Assert.Equal(north.Order(StringComparer.Ordinal), ofNorth.Ids.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        // An organization's key sees its own, whatever it asks for.
        var key = (await (await client.PostJsonAsync("/api/admin/keys", new { organizationId = "org-south" })).ReadJsonAsync()).GetProperty("key").GetString()!;
        var ofSouth = await AllAsync(host.Client(key), "pageSize=3");
        Assert.Equal(south.Take(3).Order(StringComparer.Ordinal), ofSouth.Ids.Order(StringComparer.Ordinal), StringComparer.Ordinal);

        // The health filter holds across pages (all are pending: none has run).
        Assert.Equal(all.Ids.Count, (await AllAsync(client, "pageSize=3&health=pending")).Ids.Count);
        Assert.Empty((await AllAsync(client, "pageSize=3&health=on_time")).Ids);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("continuationToken=not-a-token", "continuation")]
    [InlineData("health=sleepy", "health")]
    public async Task A_page_asked_for_wrongly_is_a_problem(string query, string named)
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("connbad"));
        var response = await host.Client().GetAsync($"/api/connections?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await response.Content.ReadAsStringAsync()), StringComparison.OrdinalIgnoreCase);
    }
}

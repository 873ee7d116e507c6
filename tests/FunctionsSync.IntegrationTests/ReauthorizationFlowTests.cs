using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// A revoked authorization through the self-hosted API, end to end: the run fails with the reason, the connection is
/// <c>action_required</c> with its token health in view (and no token), <c>connection.reauthorization_required</c>
/// reaches the organization's endpoint signed, a full cycle leaves the connection out, and a PATCH with the seller's
/// new refresh token brings it back.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ReauthorizationFlowTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_revoked_authorization_is_reported_skipped_and_restored_by_new_credentials()
    {
        await using var host = new HostApp(storage, "reauth", new Dictionary<string, string?>
        {
            ["Webhooks:RetrySchedule:0"] = "00:00:00.200",
            ["Webhooks:SweepInterval"] = "00:00:00.100",
            ["Webhooks:SweepAfter"] = "00:00:00",
            ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["Marketplaces:OAuth:Clients:shopify:ClientId"] = "app-client",
            ["Marketplaces:OAuth:Clients:shopify:ClientSecret"] = "app-secret",
        });
        var client = host.Client();
        const string organization = "org-reauth";
        var storeId = "shop-reauth-" + TestRun.Suffix;
        var credentials = new Dictionary<string, string> { [OAuthTokenState.RefreshTokenKey] = "shprt_first-" + TestRun.Suffix };
        var store = simulator.State.PutStore("shopify", storeId, new SimStoreConfig
        {
            Orders = 30, Products = 10, Customers = 5, Seed = 91, Credentials = new(credentials) { ["clientId"] = "app-client", ["clientSecret"] = "app-secret" },
        });
        var registered = await (await client.PostJsonAsync("/api/connections", new
        {
            organizationId = organization, marketplace = "shopify", externalStoreId = storeId, name = storeId, credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("shopify", storeId) },
        })).ReadJsonAsync();
        var connectionId = registered.GetProperty("connectionId").GetString()!;
        var receiver = "reauth-" + Guid.NewGuid().ToString("N");
        var endpoint = await (await client.PostJsonAsync("/api/webhooks", new { organizationId = organization, events = new[] { "connection.reauthorization_required" }, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}" })).ReadJsonAsync();
        using var sim = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
        Assert.Equal(HttpStatusCode.NoContent, (await sim.PutAsJsonAsync($"/mock/webhooks/{receiver}/secret", new { secret = endpoint.GetProperty("secret").GetString() })).StatusCode);

        Assert.Equal("succeeded", (await RunAsync(client, connectionId)).GetProperty("status").GetString());

        // The merchant uninstalls the app.
        store.Tokens.Revoke();
        var failed = await RunAsync(client, connectionId);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("connect the store again", failed.GetProperty("error").GetString(), StringComparison.Ordinal);

        var view = await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync();
        Assert.Equal("action_required", view.GetProperty("health").GetString());
        Assert.True(view.GetProperty("tokens").GetProperty("refreshFailures").GetInt32() >= 1);
        Assert.DoesNotContain("shprt_", view.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_", view.GetRawText(), StringComparison.Ordinal);

        var got = await Eventually.WaitForAsync(async () => await (await sim.GetAsync($"/mock/webhooks/{receiver}")).ReadJsonAsync(), r => r.GetProperty("accepted").GetArrayLength() == 1);
        Assert.Equal(0, got.GetProperty("badSignatures").GetInt32());
        using (var body = JsonDocument.Parse(got.GetProperty("accepted")[0].GetProperty("body").GetString()!))
        {
            Assert.Equal("connection.reauthorization_required", body.RootElement.GetProperty("type").GetString());
            Assert.Equal(connectionId, body.RootElement.GetProperty("data").GetProperty("connectionId").GetString());
        }

        // A full cycle of the organization leaves it out (its only connection): nothing is queued.
        var cycle = await (await client.PostJsonAsync("/api/sync/run-full", new { organizationId = organization })).ReadJsonAsync();
        Assert.Equal(0, cycle.GetProperty("queued").GetInt32());

        // The seller authorizes the app again; the operator sends the new refresh token.
        var reissued = "shprt_second-" + TestRun.Suffix;
        store.Tokens.Reissue(reissued);
        var patched = await client.PatchAsJsonAsync($"/api/connections/{connectionId}", new { credentials = new Dictionary<string, string> { [OAuthTokenState.RefreshTokenKey] = reissued } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("succeeded", (await RunAsync(client, connectionId)).GetProperty("status").GetString());
        Assert.NotEqual("action_required", (await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync()).GetProperty("health").GetString());
    }

    private static async Task<JsonElement> RunAsync(HttpClient client, string connectionId)
    {
        var trigger = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        return await client.WaitForRunAsync(trigger.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
    }
}

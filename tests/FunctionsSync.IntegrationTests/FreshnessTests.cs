using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Freshness over HTTP on the self-hosted runtime: an incremental run measures how long each change it stored took
/// from the marketplace (run entities, the status window, a metric); a connection with a freshness objective turns
/// stale when a run's 95th percentile exceeds it (<c>connection.stale</c> delivered) and fresh when it is back.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class FreshnessTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task Late_changes_turn_a_connection_stale_against_its_objective_and_prompt_ones_turn_it_fresh()
    {
        await using var host = new HostApp(storage, "freshness", new Dictionary<string, string?>
        {
            ["Sync:OverlapWindow"] = "00:00:01",
            ["Webhooks:RetrySchedule:0"] = "00:00:00.200",
            ["Webhooks:SweepInterval"] = "00:00:00.100",
            ["Webhooks:SweepAfter"] = "00:00:00",
            ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        });
        var client = host.Client();
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-fresh", MarketplaceNames.WooCommerce, "woo-fresh",
            new SimStoreConfig { Orders = 80, Products = 20, Customers = 10, Seed = 91 }, new Dictionary<string, string> { ["freshnessObjectiveMinutes"] = "2" });
        var receiver = $"fresh-{Guid.NewGuid():N}";
        var endpoint = await (await client.PostJsonAsync("/api/webhooks", new { organizationId = "org-fresh", events = new[] { "connection.stale", "connection.fresh" }, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}" })).ReadJsonAsync();
        using var mock = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
        Assert.Equal(HttpStatusCode.NoContent, (await mock.PutAsJsonAsync($"/mock/webhooks/{receiver}/secret", new { secret = endpoint.GetProperty("secret").GetString() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchAsJsonAsync($"/api/connections/{connectionId}", new { settings = new { freshnessObjectiveMinutes = "0" } }, HostApp.Json)).StatusCode);

        // A full read measures nothing: its records are history, not changes.
        var full = await RunAsync(client, connectionId, "full");
        Assert.All(full.GetProperty("entities").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, Optional(e, "freshness").ValueKind));

        // Ten orders changed five minutes ago: stored now, 95 % of them took longer than the two-minute objective.
        store.Mutate(SimKind.Orders, 10, DateTimeOffset.UtcNow.AddMinutes(-5));
        var late = await RunAsync(client, connectionId, "incremental");
        var orders = Freshness(late, "orders");
        Assert.Equal(10, orders.GetProperty("changes").GetInt64());
        Assert.InRange(orders.GetProperty("p95Seconds").GetDouble(), 300, 600);
        Assert.Equal(JsonValueKind.Null, Freshness(late, "customers").ValueKind);
        // The connection is updated just after its run's end is written: looked at until it shows.
        await Eventually.WaitForAsync(async () => await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync(), c => Optional(c, "staleSince").ValueKind == JsonValueKind.String);
        var status = await (await client.GetAsync($"/api/connections/{connectionId}/status")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.String, Optional(status, "staleSince").ValueKind);
        var window = Assert.Single(status.GetProperty("freshness").EnumerateArray());
        Assert.Equal(("orders", 10L), (window.GetProperty("entityType").GetString(), window.GetProperty("changes").GetInt64()));

        var stale = await WaitForEventsAsync(mock, receiver, 1);
        Assert.Equal("connection.stale", stale[0].GetProperty("type").GetString());
        Assert.Equal(120, stale[0].GetProperty("data").GetProperty("objectiveSeconds").GetInt32());
        Assert.Equal(late.GetProperty("runId").GetString(), stale[0].GetProperty("data").GetProperty("runId").GetString());

        // Still late: no second event. Then changes stored within seconds: fresh again, once.
        store.Mutate(SimKind.Orders, 5, DateTimeOffset.UtcNow.AddMinutes(-4));
        await RunAsync(client, connectionId, "incremental");
        store.Mutate(SimKind.Orders, 10, DateTimeOffset.UtcNow.AddSeconds(-2));
        var prompt = await RunAsync(client, connectionId, "incremental");
        Assert.InRange(Freshness(prompt, "orders").GetProperty("p95Seconds").GetDouble(), 0, 60);
        await Eventually.WaitForAsync(async () => await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync(), c => Optional(c, "staleSince").ValueKind == JsonValueKind.Null);
        var events = await WaitForEventsAsync(mock, receiver, 2);
        Assert.Equal(["connection.stale", "connection.fresh"], events.Select(e => e.GetProperty("type").GetString()));
    }

    private static async Task<JsonElement> RunAsync(HttpClient client, string connectionId, string mode)
    {
        var triggered = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode });
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var run = await client.WaitForRunAsync((await triggered.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        return run;
    }

    private static JsonElement Freshness(JsonElement run, string type) =>
        Optional(run.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityType").GetString() == type), "freshness");

    /// <summary>A property that may be left out when null: null either way.</summary>
    private static JsonElement Optional(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) ? value : JsonDocument.Parse("null").RootElement;

    private static async Task<List<JsonElement>> WaitForEventsAsync(HttpClient mock, string receiver, int count)
    {
        var got = await Eventually.WaitForAsync(async () => await mock.GetFromJsonAsync<JsonElement>($"/mock/webhooks/{receiver}"), r => r.GetProperty("accepted").GetArrayLength() >= count);
        return [.. got.GetProperty("accepted").EnumerateArray().Select(a => JsonDocument.Parse(a.GetProperty("body").GetString()!).RootElement)];
    }
}

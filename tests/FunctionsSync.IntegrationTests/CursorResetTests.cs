using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// <c>POST /api/connections/{id}/reset</c> over HTTP on the self-hosted runtime, with its workers: refused while a
/// run is in flight (the cursors unchanged), then the named feeds rewound, the stored records readable all along, and
/// the next ordinary run reads those feeds whole (writing nothing that did not change) and the others from their marks.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CursorResetTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_reset_feed_is_read_whole_by_the_next_run_and_a_run_in_flight_refuses_the_reset()
    {
        // An overlap of one second: an incremental run then reads only what changed after the marks.
        await using var host = new HostApp(storage, "cursorreset", new Dictionary<string, string?> { ["Sync:OverlapWindow"] = "00:00:01" });
        var client = host.Client();
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-reset", MarketplaceNames.WooCommerce, "woo-reset", new SimStoreConfig { Orders = 300, Products = 120, Customers = 40, Seed = 71 });

        var full = await TriggerAsync(client, connectionId, "full");
        Assert.Equal("succeeded", (await client.WaitForRunAsync(full, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        var marks = await MarksAsync(client, connectionId);
        Assert.All(marks.Values, mark => Assert.NotNull(mark));

        // A run in flight holds the cursors: the reset is refused, naming it, and changes nothing.
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 300 };
        string slow;
        try
        {
            slow = await TriggerAsync(client, connectionId, "incremental");
            var refused = await client.PostJsonAsync($"/api/connections/{connectionId}/reset", new { entityTypes = new[] { "orders" } });
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(slow, (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }

        Assert.Equal("succeeded", (await client.WaitForRunAsync(slow, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        marks = await MarksAsync(client, connectionId);
        Assert.NotNull(marks["orders"]);

        // Bad requests change nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync($"/api/connections/{connectionId}/reset", new { entityTypes = new[] { "invoices" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRawAsync($"/api/connections/{connectionId}/reset", "{\"entityTypes\": 5}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/api/connections/nosuchconnection/reset", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client(await OtherOrganizationKeyAsync(client)).PostJsonAsync($"/api/connections/{connectionId}/reset", new { })).StatusCode);
        Assert.Equal(marks, await MarksAsync(client, connectionId));

        var reset = await client.PostJsonAsync($"/api/connections/{connectionId}/reset", new { entityTypes = new[] { "orders" } });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var view = await reset.ReadJsonAsync();
        Assert.Equal(["orders"], view.GetProperty("entityTypes").EnumerateArray().Select(e => e.GetString()));
        var afterReset = await MarksAsync(client, connectionId);
        Assert.Null(afterReset["orders"]);
        Assert.Equal(marks["products"], afterReset["products"]);
        Assert.Equal(marks["customers"], afterReset["customers"]);
        // The records stay readable.
        Assert.Equal(300, await CountRecordsAsync(client, connectionId, "orders"));
        var activity = await (await client.GetAsync($"/api/connections/{connectionId}/activity")).ReadJsonAsync();
        Assert.Contains(activity.GetProperty("activity").EnumerateArray(), e => e.GetProperty("action").GetString() == "cursors.reset" && e.GetProperty("subject").GetString() == "orders");

        // The next ordinary run reads every order (all unchanged, none written) and only the recent window of the rest.
        var next = await client.WaitForRunAsync(await TriggerAsync(client, connectionId, "incremental"), TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", next.GetProperty("status").GetString());
        var orders = Entity(next, "orders");
        Assert.Equal((300L, 300L, 0L, 0L), (Counter(orders, "processed"), Counter(orders, "unchanged"), Counter(orders, "created"), Counter(orders, "updated")));
        Assert.True(Counter(Entity(next, "products"), "processed") < 10, "products were read from their mark, not whole");
        Assert.NotNull((await MarksAsync(client, connectionId))["orders"]);
        Assert.Equal(300, await CountRecordsAsync(client, connectionId, "orders"));
        Assert.Equal(300, store.Count(SimKind.Orders));
    }

    private static async Task<string> TriggerAsync(HttpClient client, string connectionId, string mode)
    {
        var triggered = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode });
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        return (await triggered.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
    }

    private static async Task<Dictionary<string, DateTimeOffset?>> MarksAsync(HttpClient client, string connectionId)
    {
        var connection = await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync();
        return connection.GetProperty("cursors").EnumerateArray().ToDictionary(
            c => c.GetProperty("entityType").GetString()!,
            c => c.TryGetProperty("highWaterMark", out var mark) && mark.ValueKind == JsonValueKind.String ? mark.GetDateTimeOffset() : (DateTimeOffset?)null);
    }

    private static async Task<int> CountRecordsAsync(HttpClient client, string connectionId, string type)
    {
        var count = 0;
        string? token = null;
        do
        {
            var page = await (await client.GetAsync($"/api/connections/{connectionId}/records/{type}?pageSize=500" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)))).ReadJsonAsync();
            count += page.GetProperty("records").GetArrayLength();
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);
        return count;
    }

    private static async Task<string> OtherOrganizationKeyAsync(HttpClient admin) =>
        (await (await admin.PostJsonAsync("/api/admin/keys", new { organizationId = "org-reset-other" })).ReadJsonAsync()).GetProperty("key").GetString()!;

    private static JsonElement Entity(JsonElement run, string type) =>
        run.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityType").GetString() == type);

    private static long Counter(JsonElement entity, string name) => entity.GetProperty("counters").GetProperty(name).GetInt64();
}

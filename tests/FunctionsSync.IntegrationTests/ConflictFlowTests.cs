using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// A record changed locally and at the marketplace becomes a data_mismatch conflict; it is listed, resolved over
/// HTTP, and the next sync honours the resolution.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ConflictFlowTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string Org = "org-conflicts";

    [Fact]
    public async Task A_mismatched_record_is_listed_resolved_and_the_next_sync_honours_the_resolution()
    {
        await using var host = new HostApp(storage, "conflictflow", new Dictionary<string, string?> { ["Conflicts:RetryDelay"] = "01:00:00" });
        var client = host.Client();
        const string storeId = "conflict-store";
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, Org, "woocommerce", storeId, new SimStoreConfig { Orders = 40, Products = 10, Customers = 5, Seed = 5 });
        await SyncAsync(client, connectionId, "full");

        // Two orders are changed here; then every order changes at the marketplace.
        var kept = SimCatalog.OrderId(3).ToString();
        var accepted = SimCatalog.OrderId(7).ToString();
        var untouched = SimCatalog.OrderId(11).ToString();
        foreach (var id in new[] { kept, accepted })
        {
            var record = (await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{id}")).ReadJsonAsync()).GetProperty("record");
            var edited = JsonNode.Parse(record.GetRawText())!.AsObject();
            edited["status"] = "held-by-warehouse";
            var put = await client.PutAsync($"/api/connections/{connectionId}/records/orders/{id}", new StringContent(edited.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.True((await put.ReadJsonAsync()).GetProperty("changedLocally").GetBoolean());
        }

        store.Mutate(SimKind.Orders, 40, DateTimeOffset.UtcNow.AddMinutes(-5));
        var run = await SyncAsync(client, connectionId, "incremental");
        Assert.Equal(2, run.GetProperty("conflicts").GetProperty("data_mismatch").GetInt64());
        Assert.Equal(2, run.GetProperty("counters").GetProperty("skipped").GetInt64());
        Assert.Equal(38, run.GetProperty("entities")[0].GetProperty("counters").GetProperty("updated").GetInt64());
        // Both local changes survived the sync; the other orders took the marketplace's change.
        Assert.Equal("held-by-warehouse", await StatusAsync(client, connectionId, kept));
        Assert.Equal("held-by-warehouse", await StatusAsync(client, connectionId, accepted));
        var sourceStatus = await StatusAsync(client, connectionId, untouched);

        var listed = await (await client.GetAsync($"/api/conflicts?connectionId={connectionId}")).ReadJsonAsync();
        var conflicts = listed.GetProperty("conflicts").EnumerateArray().ToList();
        Assert.Equal(2, conflicts.Count);
        Assert.All(conflicts, c =>
        {
            Assert.Equal("data_mismatch", c.GetProperty("type").GetString());
            Assert.Equal("retrying", c.GetProperty("status").GetString());
            Assert.Equal(sourceStatus, c.GetProperty("source").GetProperty("status").GetString());
        });
        var organizationList = await (await client.GetAsync($"/api/conflicts?organizationId={Org}&status=retrying&pageSize=1")).ReadJsonAsync();
        Assert.Single(organizationList.GetProperty("conflicts").EnumerateArray());
        var secondPage = await (await client.GetAsync($"/api/conflicts?organizationId={Org}&status=retrying&pageSize=1&continuationToken={organizationList.GetProperty("continuationToken").GetString()}")).ReadJsonAsync();
        Assert.Single(secondPage.GetProperty("conflicts").EnumerateArray());

        string IdOf(string externalId) => conflicts.Single(c => c.GetProperty("externalId").GetString() == externalId).GetProperty("id").GetString()!;
        var keep = await client.PostJsonAsync($"/api/conflicts/{IdOf(kept)}/resolve", new { resolution = "keep_target", note = "warehouse hold stands" });
        Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
        var keepBody = await keep.ReadJsonAsync();
        Assert.Equal("resolved", keepBody.GetProperty("status").GetString());
        Assert.Equal("admin", keepBody.GetProperty("resolvedBy").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"/api/conflicts/{IdOf(accepted)}/resolve", new { resolution = "accept_source" })).StatusCode);
        Assert.Equal("held-by-warehouse", await StatusAsync(client, connectionId, kept));
        Assert.Equal(sourceStatus, await StatusAsync(client, connectionId, accepted));

        // Resolving again, or with nonsense, changes nothing.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJsonAsync($"/api/conflicts/{IdOf(kept)}/resolve", new { resolution = "accept_source" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync($"/api/conflicts/{IdOf(kept)}/resolve", new { resolution = "merge" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync($"/api/conflicts/cf_{connectionId}_00000000000000000000/resolve", new { resolution = "skip" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/conflicts?status=pondering")).StatusCode);
        Assert.Equal("held-by-warehouse", await StatusAsync(client, connectionId, kept));

        // The next sync re-reads every order: the kept one stays local, the accepted one stays the marketplace's, no new conflicts.
        var next = await SyncAsync(client, connectionId, "full");
        Assert.False(next.TryGetProperty("conflicts", out var nextConflicts) && nextConflicts.EnumerateObject().Any(), next.ToString());
        Assert.Equal("held-by-warehouse", await StatusAsync(client, connectionId, kept));
        Assert.Equal(sourceStatus, await StatusAsync(client, connectionId, accepted));
        var open = await (await client.GetAsync($"/api/conflicts?connectionId={connectionId}&status=open")).ReadJsonAsync();
        Assert.Empty(open.GetProperty("conflicts").EnumerateArray());

        var activity = (await (await client.GetAsync($"/api/connections/{connectionId}/activity")).ReadJsonAsync()).GetProperty("activity").EnumerateArray().ToList();
        var resolutions = activity.Where(a => a.GetProperty("action").GetString() == "conflict.resolved").ToList();
        Assert.Equal(2, resolutions.Count);
        Assert.All(resolutions, a => Assert.Equal("admin", a.GetProperty("actor").GetString()));
        Assert.Contains(resolutions, a => a.GetProperty("details").GetString()!.Contains("keep_target") && a.GetProperty("details").GetString()!.Contains("warehouse hold stands"));
        Assert.Equal(2, activity.Count(a => a.GetProperty("action").GetString() == "record.edited"));
    }

    [Fact]
    public async Task Another_organization_neither_sees_nor_resolves_the_conflicts()
    {
        await using var host = new HostApp(storage, "conflictscope");
        var admin = host.Client();
        var key = (await (await admin.PostJsonAsync("/api/admin/keys", new { organizationId = "org-other" })).ReadJsonAsync()).GetProperty("key").GetString()!;
        var other = host.Client(key);

        var list = await (await other.GetAsync($"/api/conflicts?organizationId={Org}")).ReadJsonAsync();
        Assert.Empty(list.GetProperty("conflicts").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/conflicts?connectionId=doesnotexist")).StatusCode);
    }

    private static async Task<JsonElement> SyncAsync(HttpClient client, string connectionId, string mode)
    {
        var trigger = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode })).ReadJsonAsync();
        var run = await client.WaitForRunAsync(trigger.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        Assert.True(run.GetProperty("status").GetString() is "succeeded" or "partial", run.ToString());
        return run;
    }

    private static async Task<string?> StatusAsync(HttpClient client, string connectionId, string orderId) =>
        (await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{orderId}")).ReadJsonAsync()).GetProperty("record").GetProperty("status").GetString();
}

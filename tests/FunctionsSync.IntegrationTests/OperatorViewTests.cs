using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>What an operator reads through the API: connection health, run history, progress, one webhook endpoint.</summary>
[Collection(QuietCollection.Name)]
public sealed class OperatorViewTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private object Registration(string organizationId, string storeId, Dictionary<string, string>? credentials = null) => new
    {
        organizationId,
        marketplace = "shopify",
        externalStoreId = storeId,
        name = $"shopify {storeId}",
        credentials = credentials ?? SyncHarness.CredentialsFor("shopify", storeId),
        settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("shopify", storeId) },
    };

    private void Store(string storeId, SimStoreConfig size) =>
        simulator.State.PutStore("shopify", storeId, size with { Credentials = SyncHarness.CredentialsFor("shopify", storeId) });

    private static async Task<string> HealthAsync(HttpClient client, string connectionId) =>
        (await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync()).GetProperty("health").GetString()!;

    private static async Task<JsonElement> HealthCountsAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/sync/status")).ReadJsonAsync()).GetProperty("connections").GetProperty("health");

    private static async Task<string> TriggerAsync(HttpClient client, string connectionId)
    {
        var response = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
    }

    private static async Task AssertHealthAsync(HttpClient client, string connectionId, string expected)
    {
        Assert.Equal(expected, await HealthAsync(client, connectionId));
        var counts = await HealthCountsAsync(client);
        foreach (var name in new[] { "pending", "running", "on_time", "delayed", "error", "action_required", "disabled" })
        {
            Assert.Equal(name == expected ? 1 : 0, counts.GetProperty(name).GetInt32());
        }

        // The filter returns the connection under its health and under no other.
        var listed = (await (await client.GetAsync($"/api/connections?health={expected}")).ReadJsonAsync()).GetProperty("connections");
        Assert.Equal(connectionId, Assert.Single(listed.EnumerateArray()).GetProperty("connectionId").GetString());
        var other = expected == "pending" ? "on_time" : "pending";
        Assert.Empty((await (await client.GetAsync($"/api/connections?health={other}")).ReadJsonAsync()).GetProperty("connections").EnumerateArray());
    }

    [Fact]
    public async Task Health_goes_pending_running_on_time_delayed_error_action_required_on_a_fake_clock()
    {
        var clock = new OffsetClock();
        await using var host = new HostApp(storage, "opshealth") { Clock = clock };
        var client = host.Client();
        Store("ops-health", new SimStoreConfig { Orders = 300, Products = 40, Customers = 20, Seed = 5 });
        var id = (await (await client.PostJsonAsync("/api/connections", Registration("org-health", "ops-health"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/connections/{id}") { Content = JsonContent.Create(new { intervalMinutes = 10 }) };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(patch)).StatusCode);

        await AssertHealthAsync(client, id, "pending");

        // Running: the simulator holds the run's requests until the test has looked.
        using var hold = new ManualResetEventSlim(false);
        var held = 0;
        simulator.State.BeforeServing = (storeId, _) =>
        {
            if (storeId == "ops-health")
            {
                Interlocked.Increment(ref held);
                hold.Wait(TimeSpan.FromSeconds(30));
            }
        };
        string runId;
        try
        {
            runId = await TriggerAsync(client, id);
            await Eventually.WaitForAsync(() => Task.FromResult(Volatile.Read(ref held)), n => n > 0);
            await AssertHealthAsync(client, id, "running");
        }
        finally
        {
            hold.Set();
            simulator.State.BeforeServing = null;
        }

        Assert.Equal("succeeded", (await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        await Eventually.WaitForAsync(() => HealthAsync(client, id), h => h != "running");
        await AssertHealthAsync(client, id, "on_time");
        var view = await (await client.GetAsync($"/api/connections/{id}")).ReadJsonAsync();
        Assert.Equal("succeeded", view.GetProperty("lastRunStatus").GetString());
        Assert.True(view.TryGetProperty("lastSyncAt", out var lastSync) && lastSync.ValueKind == JsonValueKind.String);

        clock.Advance(TimeSpan.FromMinutes(11));
        await AssertHealthAsync(client, id, "delayed");
        clock.Advance(TimeSpan.FromMinutes(10));
        await AssertHealthAsync(client, id, "error");

        // The marketplace refuses the credentials now in place: a person must act.
        var revoke = new HttpRequestMessage(HttpMethod.Patch, $"/api/connections/{id}")
        {
            Content = JsonContent.Create(new { credentials = new Dictionary<string, string> { ["accessToken"] = "shpat_revoked" } }),
        };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(revoke)).StatusCode);
        Assert.Equal("failed", (await client.WaitForRunAsync(await TriggerAsync(client, id), TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        await Eventually.WaitForAsync(() => HealthAsync(client, id), h => h == "action_required");
        await AssertHealthAsync(client, id, "action_required");

        var off = new HttpRequestMessage(HttpMethod.Patch, $"/api/connections/{id}") { Content = JsonContent.Create(new { enabled = false }) };
        Assert.Equal("disabled", (await (await client.SendAsync(off)).ReadJsonAsync()).GetProperty("health").GetString());
        await AssertHealthAsync(client, id, "disabled");

        // An unknown health is a 400 naming the field.
        var bad = await client.GetAsync("/api/connections?health=sleepy");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("health", out _));
    }

    [Fact]
    public async Task Run_history_pages_newest_first_and_an_organization_key_sees_only_its_own()
    {
        await using var host = new HostApp(storage, "opshistory");
        var client = host.Client();
        Store("ops-history", new SimStoreConfig { Orders = 60, Products = 10, Customers = 5, Seed = 6 });
        var id = (await (await client.PostJsonAsync("/api/connections", Registration("org-history", "ops-history"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var runIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var runId = await TriggerAsync(client, id);
            await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(60));
            runIds.Add(runId);
        }

        var first = await (await client.GetAsync($"/api/connections/{id}/runs?pageSize=2")).ReadJsonAsync();
        var firstIds = first.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()).ToList();
        Assert.Equal([runIds[2], runIds[1]], firstIds);
        var token = first.GetProperty("continuationToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        var second = await (await client.GetAsync($"/api/connections/{id}/runs?pageSize=2&continuationToken={Uri.EscapeDataString(token!)}")).ReadJsonAsync();
        Assert.Equal(runIds[0], Assert.Single(second.GetProperty("runs").EnumerateArray()).GetProperty("runId").GetString());
        Assert.False(second.TryGetProperty("continuationToken", out var end) && end.ValueKind == JsonValueKind.String, "no page after the last");
        Assert.All(first.GetProperty("runs").EnumerateArray(), r => Assert.Equal(100, r.GetProperty("percentComplete").GetDouble()));

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/connections/{id}/runs?continuationToken=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/connections/{id}/runs?pageSize=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/connections/{id}/runs?pageSize=two")).StatusCode);

        var otherKey = (await (await client.PostJsonAsync("/api/admin/keys", new { organizationId = "org-history-other" })).ReadJsonAsync()).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client(otherKey).GetAsync($"/api/connections/{id}/runs")).StatusCode);
        var ownKey = (await (await client.PostJsonAsync("/api/admin/keys", new { organizationId = "org-history" })).ReadJsonAsync()).GetProperty("key").GetString()!;
        Assert.Equal(3, (await (await host.Client(ownKey).GetAsync($"/api/connections/{id}/runs")).ReadJsonAsync()).GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task Runs_across_connections_by_status_are_each_connections_active_or_last_run_and_an_organization_sees_its_own()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("opsruns"));
        var client = host.Client();
        Store("ops-runs-ok", new SimStoreConfig { Orders = 40, Products = 5, Customers = 5, Seed = 9 });
        Store("ops-runs-held", new SimStoreConfig { Orders = 40, Products = 5, Customers = 5, Seed = 10 });
        Store("ops-runs-bad", new SimStoreConfig { Orders = 40, Products = 5, Customers = 5, Seed = 11 });
        var ok = (await (await client.PostJsonAsync("/api/connections", Registration("org-runs", "ops-runs-ok"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var bad = (await (await client.PostJsonAsync("/api/connections", Registration("org-runs", "ops-runs-bad", new Dictionary<string, string> { ["accessToken"] = "shpat_revoked" }))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var held = (await (await client.PostJsonAsync("/api/connections", Registration("org-runs-other", "ops-runs-held"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var okRun = await TriggerAsync(client, ok);
        Assert.Equal("succeeded", (await client.WaitForRunAsync(okRun, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        var badRun = await TriggerAsync(client, bad);
        Assert.Equal("failed", (await client.WaitForRunAsync(badRun, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());

        // A run held by the simulator stays running while the lists are read.
        using var hold = new ManualResetEventSlim(false);
        simulator.State.BeforeServing = (storeId, _) =>
        {
            if (storeId == "ops-runs-held")
            {
                hold.Wait(TimeSpan.FromSeconds(30));
            }
        };
        try
        {
            var heldRun = await TriggerAsync(client, held);
            async Task<List<string>> IdsAsync(HttpClient c, string query) =>
                [.. (await (await c.GetAsync("/api/runs" + query)).ReadJsonAsync()).GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!)];

            Assert.Equal([okRun], await IdsAsync(client, "?status=succeeded"));
            Assert.Equal([badRun], await IdsAsync(client, "?status=failed"));
            Assert.Equal([heldRun], await Eventually.WaitForAsync(() => IdsAsync(client, "?status=running"), ids => ids.Count == 1));
            Assert.Equal([heldRun], await IdsAsync(client, ""));
            Assert.Empty(await IdsAsync(client, "?status=paused"));
            Assert.Empty(await IdsAsync(client, "?status=failed&organizationId=org-runs-other"));

            var orgKey = (await (await client.PostJsonAsync("/api/admin/keys", new { organizationId = "org-runs" })).ReadJsonAsync()).GetProperty("key").GetString()!;
            Assert.Empty(await IdsAsync(host.Client(orgKey), "?status=active"));
            Assert.Equal([badRun], await IdsAsync(host.Client(orgKey), "?status=failed"));
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/runs?status=sleeping")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/runs?take=0")).StatusCode);
        }
        finally
        {
            hold.Set();
            simulator.State.BeforeServing = null;
        }
    }

    [Fact]
    public async Task Stored_records_page_through_every_bucket_without_loss_or_repeat()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("opsrecords"), new Dictionary<string, string?> { ["Storage:RecordBuckets"] = "4" });
        var client = host.Client();
        simulator.State.PutStore("shopify", "ops-records", new SimStoreConfig { Orders = 230, Products = 10, Customers = 5, Seed = 8, Credentials = SyncHarness.CredentialsFor("shopify", "ops-records") });
        var store = simulator.State.GetStore("shopify", "ops-records")!;
        var id = (await (await client.PostJsonAsync("/api/connections", Registration("org-records", "ops-records"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        Assert.Equal("succeeded", (await client.WaitForRunAsync(await TriggerAsync(client, id), TimeSpan.FromSeconds(60))).GetProperty("status").GetString());

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync($"/api/connections/{id}/records/orders?pageSize=40" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}"))).ReadJsonAsync();
            var records = page.GetProperty("records").EnumerateArray().ToList();
            Assert.InRange(records.Count, 1, 40);
            seen.AddRange(records.Select(r => r.GetProperty("record").GetProperty("externalId").GetString()!));
            Assert.All(records, r => Assert.False(r.GetProperty("changedLocally").GetBoolean()));
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(Expected.For(store, Core.Records.EntityType.Orders).Keys.Order(), seen.Order());
        Assert.InRange(pages, 6, 10);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/connections/{id}/records/orders?continuationToken=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/connections/{id}/records/orders?pageSize=501")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/connections/{id}/records/planets")).StatusCode);
        var otherKey = (await (await client.PostJsonAsync("/api/admin/keys", new { organizationId = "org-records-other" })).ReadJsonAsync()).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client(otherKey).GetAsync($"/api/connections/{id}/records/orders")).StatusCode);
    }

    [Fact]
    public async Task Percent_complete_never_goes_back_across_entity_types_and_reads_100_only_at_the_end()
    {
        await using var host = new HostApp(storage, "opsprogress", new Dictionary<string, string?> { ["Sync:PageSize"] = "50" });
        var client = host.Client();
        Store("ops-progress", new SimStoreConfig { Orders = 800, Products = 400, Customers = 300, Seed = 7 });
        var id = (await (await client.PostJsonAsync("/api/connections", Registration("org-progress", "ops-progress"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var runId = await TriggerAsync(client, id);

        var seen = new List<(string Status, double Percent, string? Requested)>();
        await Eventually.WaitForAsync(
            async () =>
            {
                var run = await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync();
                seen.Add((run.GetProperty("status").GetString()!, run.GetProperty("percentComplete").GetDouble(), null));
                return seen[^1].Status;
            },
            status => status is "succeeded" or "partial" or "failed",
            TimeSpan.FromSeconds(90));

        Assert.Equal("succeeded", seen[^1].Status);
        Assert.Equal(100, seen[^1].Percent);
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i].Percent >= seen[i - 1].Percent, $"percent went from {seen[i - 1].Percent} to {seen[i].Percent}: {string.Join(", ", seen)}");
        }

        Assert.All(seen.Where(s => s.Status != "succeeded"), s => Assert.True(s.Percent < 100, $"{s.Percent} while {s.Status}"));
        Assert.Contains(seen, s => s.Status == "running" && s.Percent is > 0 and < 100);
    }

    [Fact]
    public async Task One_webhook_endpoint_is_read_and_changed_and_a_refused_change_changes_nothing()
    {
        await using var host = new HostApp(storage, "opshooks", new Dictionary<string, string?> { ["Webhooks:AllowedHosts:0"] = "127.0.0.1" });
        var client = host.Client();
        var created = await (await client.PostJsonAsync("/api/webhooks", new
        {
            organizationId = "org-hooks",
            events = new[] { "sync.completed" },
            targetUrl = $"{simulator.BaseUrl}/mock/webhooks/ops",
            description = "first",
        })).ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;

        var read = await (await client.GetAsync($"/api/webhooks/{id}")).ReadJsonAsync();
        Assert.Equal("first", read.GetProperty("description").GetString());
        Assert.True(read.GetProperty("enabled").GetBoolean());
        Assert.False(read.TryGetProperty("secret", out var secret) && secret.ValueKind == JsonValueKind.String);

        async Task<HttpResponseMessage> PatchAsync(object body) =>
            await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/webhooks/{id}") { Content = JsonContent.Create(body) });

        var changed = await (await PatchAsync(new { events = new[] { "sync.completed", "sync.failed" }, description = "second", enabled = false })).ReadJsonAsync();
        Assert.Equal(["sync.completed", "sync.failed"], changed.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.False(changed.GetProperty("enabled").GetBoolean());
        Assert.Equal("Disabled by an operator.", changed.GetProperty("disabledReason").GetString());

        // Refused: an unknown event, an internal address, a type that is not JSON's boolean.
        Assert.Equal(HttpStatusCode.BadRequest, (await PatchAsync(new { events = new[] { "sync.exploded" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PatchAsync(new { targetUrl = "http://169.254.169.254/latest" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PatchAsync(new { enabled = "yes" })).StatusCode);
        var after = await (await client.GetAsync($"/api/webhooks/{id}")).ReadJsonAsync();
        Assert.Equal(changed.ToString(), after.ToString());

        var enabled = await (await PatchAsync(new { enabled = true })).ReadJsonAsync();
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal("second", enabled.GetProperty("description").GetString());

        var otherKey = (await (await client.PostJsonAsync("/api/admin/keys", new { organizationId = "org-hooks-other" })).ReadJsonAsync()).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client(otherKey).GetAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/webhooks/wh_missing")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using FunctionsSync.SelfHosted.Workers;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>The self-hosted runtime's HTTP API over real HTTP semantics (TestServer), workers on Azurite's queue.</summary>
[Collection(QuietCollection.Name)]
public sealed class HostApiTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private static readonly SimStoreConfig Size = new() { Orders = 1_200, Products = 300, Customers = 150, Seed = 21 };

    private object Registration(string organizationId, string marketplace, string storeId) => new
    {
        organizationId,
        marketplace,
        externalStoreId = storeId,
        name = $"{marketplace} {storeId}",
        credentials = SyncHarness.CredentialsFor(marketplace, storeId),
        settings = new Dictionary<string, string> { ["baseUrl"] = marketplace == "etsy" ? $"{simulator.BaseUrl}/etsy" : $"{simulator.BaseUrl}/{marketplace}/{storeId}" },
    };

    private SimStore Store(string marketplace, string storeId) =>
        simulator.State.PutStore(marketplace, storeId, Size with { Credentials = SyncHarness.CredentialsFor(marketplace, storeId) });

    [Fact]
    public async Task Register_trigger_and_poll_until_succeeded_stores_the_simulators_records()
    {
        await using var host = new HostApp(storage, "hostflow");
        var client = host.Client();
        var store = Store("woocommerce", "host-flow");

        var first = await client.PostJsonAsync("/api/connections", Registration("org-flow", "woocommerce", "host-flow"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.ReadJsonAsync();
        var connectionId = created.GetProperty("connectionId").GetString()!;
        Assert.Equal($"/api/connections/{connectionId}", first.Headers.Location?.ToString());
        Assert.False(created.TryGetProperty("credentials", out _));
        Assert.DoesNotContain("cs_host-flow", created.ToString());

        // Registering again: same id, 200; the sync token was shown once (only its hash is stored) and is not shown again.
        var again = await client.PostJsonAsync("/api/connections", Registration("org-flow", "woocommerce", "host-flow"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.ReadJsonAsync();
        Assert.Equal(connectionId, second.GetProperty("connectionId").GetString());
        Assert.StartsWith("st_", created.GetProperty("syncToken").GetString());
        Assert.False(second.TryGetProperty("syncToken", out _));

        var trigger = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" });
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        var runs = (await trigger.ReadJsonAsync()).GetProperty("runs");
        var runId = runs[0].GetProperty("runId").GetString()!;
        Assert.Equal($"/api/runs/{runId}", runs[0].GetProperty("statusUrl").GetString());

        var run = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(100, run.GetProperty("percentComplete").GetDouble());
        var counters = run.GetProperty("counters");
        Assert.Equal(counters.GetProperty("total").GetInt64(), counters.GetProperty("processed").GetInt64() + counters.GetProperty("skipped").GetInt64() + counters.GetProperty("pending").GetInt64());

        var connection = await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync();
        var records = connection.GetProperty("records");
        Assert.Equal(Expected.For(store, EntityType.Orders).Count, records.GetProperty("orders").GetInt64());
        Assert.Equal(Expected.For(store, EntityType.Products).Count, records.GetProperty("products").GetInt64());
        Assert.Equal(Expected.For(store, EntityType.Customers).Count, records.GetProperty("customers").GetInt64());
        Assert.Equal(Expected.For(store, EntityType.Prices).Count, records.GetProperty("prices").GetInt64());
        Assert.Equal(runId, connection.GetProperty("lastRun").GetProperty("runId").GetString());

        var status = await (await client.GetAsync($"/api/connections/{connectionId}/status")).ReadJsonAsync();
        Assert.Equal("success", status.GetProperty("syncStatus").GetString());
        Assert.Equal(Size.Orders, status.GetProperty("importedOrders").GetInt64());
        Assert.Equal(0, status.GetProperty("rateLimitedCount").GetInt32());
    }

    [Fact]
    public async Task Bad_requests_get_problem_details_and_change_nothing()
    {
        await using var host = new HostApp(storage, "hostbad");
        var client = host.Client();
        Store("shopify", "host-bad");
        var connectionId = (await (await client.PostJsonAsync("/api/connections", Registration("org-bad", "shopify", "host-bad"))).ReadJsonAsync()).GetProperty("connectionId").GetString();
        var before = await (await client.GetAsync("/api/sync/status")).ReadJsonAsync();

        async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailPart)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.ReadJsonAsync();
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            Assert.Contains(detailPart, problem.GetProperty("detail").GetString());
        }

        await AssertProblemAsync(await client.GetAsync("/api/connections/" + new string('x', 8_000)), HttpStatusCode.RequestUriTooLong, "at most 4096 characters");
        await AssertProblemAsync(await client.GetAsync("/api/no/such/route"), HttpStatusCode.NotFound, "no route /api/no/such/route");
        await AssertProblemAsync(await client.DeleteAsync("/api/sync/status"), HttpStatusCode.MethodNotAllowed, "takes GET, not DELETE");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/interval", new { cron = "every day at noon" }), HttpStatusCode.BadRequest, "fields");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/interval", new { cron = "0 61 * * * *" }), HttpStatusCode.BadRequest, "not a valid cron");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/interval", new { minutes = 0 }), HttpStatusCode.BadRequest, "between 1 and 1440");
        await AssertProblemAsync(await client.PostRawAsync("/api/sync/interval", "{\"cron\": "), HttpStatusCode.BadRequest, "not valid JSON");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { "cdoesnotexist" } }), HttpStatusCode.NotFound, "cdoesnotexist");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "sometimes" }), HttpStatusCode.BadRequest, "mode");
        await AssertProblemAsync(await client.PostRawAsync("/api/sync/trigger", "[1,2"), HttpStatusCode.BadRequest, "not valid JSON");
        // Bodies: JSON only, bounded, each key once; schedules between once a minute and once a year; safe ids.
        await AssertProblemAsync(await client.PostAsync("/api/connections", new StringContent("organizationId=o", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType, "application/json");
        await AssertProblemAsync(await client.PostRawAsync("/api/connections", new string(' ', 1_100_000) + "{}"), HttpStatusCode.RequestEntityTooLarge, "at most");
        var unsized = new StreamContent(new MemoryStream(new byte[2_000_000]));
        unsized.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/connections") { Content = unsized };
        chunked.Headers.TransferEncodingChunked = true;
        await AssertProblemAsync(await client.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge, "at most");
        await AssertProblemAsync(await client.PostRawAsync("/api/sync/interval", "{\"minutes\": 5, \"minutes\": 6}"), HttpStatusCode.BadRequest, "not valid JSON");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/interval", new { cron = "* * * * * *" }), HttpStatusCode.BadRequest, "more often than every 60 seconds");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/interval", new { cron = "0,30 * * 1 * *" }), HttpStatusCode.BadRequest, "more often than every 60 seconds");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/interval", new { cron = "0 0 31 2 *" }), HttpStatusCode.BadRequest, "within a year");
        await AssertProblemAsync(await client.PostJsonAsync("/api/connections", Registration("org/bad", "shopify", "host-bad-2")), HttpStatusCode.BadRequest, "not valid");
        await AssertProblemAsync(await client.PostJsonAsync("/api/connections", Registration("org-bad", "shopify", "store\u0007bell")), HttpStatusCode.BadRequest, "not valid");
        await AssertProblemAsync(await client.PostJsonAsync("/api/admin/keys", new { organizationId = "org\u0000bad" }), HttpStatusCode.BadRequest, "organizationId");
        await AssertProblemAsync(await client.GetAsync($"/api/connections/{connectionId}/activity?take=five"), HttpStatusCode.BadRequest, "take must be a whole number");
        await AssertProblemAsync(await client.GetAsync("/api/conflicts?pageSize=-1"), HttpStatusCode.BadRequest, "pageSize must be a whole number");
        await AssertProblemAsync(await client.PutAsync($"/api/connections/{connectionId}/records/orders/1", new StringContent("{\"status\": \"a\", \"status\": \"b\"}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "not a valid orders record");
        await AssertProblemAsync(await client.PutAsync($"/api/connections/{connectionId}/records/orders/1", new StringContent("{\"status\": \"a\", \"colour\": \"blue\"}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "not a valid orders record");
        await AssertProblemAsync(await client.PutAsync($"/api/connections/{connectionId}/records/orders/1", new StringContent($"{{\"status\": \"{new string('x', 40_000)}\"}}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "too large");

        // Credentials and settings stay far inside a table row's limits (they answered 500 over 64 KiB).
        await AssertProblemAsync(await client.PostJsonAsync("/api/connections", new
        {
            organizationId = "org-bad", marketplace = "shopify", externalStoreId = "host-bad-3", name = "big", credentials = new Dictionary<string, string> { ["accessToken"] = new string('k', 70_000) },
        }), HttpStatusCode.BadRequest, "not valid");
        var manySettings = Enumerable.Range(0, 51).ToDictionary(i => $"s{i}", i => "v");
        await AssertProblemAsync(await client.PatchAsync($"/api/connections/{connectionId}", JsonContent.Create(new { settings = manySettings })), HttpStatusCode.BadRequest, "not valid");
        await AssertProblemAsync(await client.PatchAsync($"/api/connections/{connectionId}", JsonContent.Create(new { credentials = new Dictionary<string, string> { ["accessToken"] = new string('k', 70_000) } })), HttpStatusCode.BadRequest, "not valid");

        // Each marketplace's credentials and numeric settings are checked when they are given, with the reason.
        await AssertProblemAsync(await client.PostRawAsync("/api/connections", "{\"organizationId\": \"org-bad\", \"marketplace\": \"shopify\", \"externalStoreId\": \"s4\", \"name\": \"n\", \"credentials\": {}}"), HttpStatusCode.BadRequest, "not valid");
        await AssertProblemAsync(await client.PostRawAsync("/api/connections", "{\"organizationId\": \"org-bad\", \"marketplace\": \"shopify\", \"externalStoreId\": \"s5\", \"name\": \"n\", \"credentials\": {\"accessToken\": null}}"), HttpStatusCode.BadRequest, "not valid");
        var refused = await client.PatchAsync($"/api/connections/{connectionId}", JsonContent.Create(new { settings = new Dictionary<string, string> { ["batchSize"] = "-5", ["rateLimitPerSecond"] = "0" } }));
        var refusal = await refused.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(refusal.GetProperty("errors").TryGetProperty("settings.batchSize", out _));
        Assert.True(refusal.GetProperty("errors").TryGetProperty("settings.rateLimitPerSecond", out _));
        await AssertProblemAsync(await client.PatchAsync($"/api/connections/{connectionId}", JsonContent.Create(new { credentials = new Dictionary<string, string> { ["apiKey"] = "k" } })), HttpStatusCode.BadRequest, "not valid");

        // A connection's address is where its credentials go: metadata, private, link-local, CGNAT and loopback
        // addresses (in each spelling) are refused unless allow-listed (these tests allow only 127.0.0.1, the simulator).
        foreach (var address in new[]
        {
            "http://169.254.169.254/latest/meta-data", "http://[::ffff:169.254.169.254]/", "http://10.0.0.7/", "http://172.16.0.1/", "http://192.168.1.1/",
            "http://100.64.0.1/", "http://[fd00::1]/", "http://[::1]:7071/api", "http://localhost:7071/api", "http://0.0.0.0/", "file:///etc/passwd",
        })
        {
            var registration = new
            {
                organizationId = "org-bad", marketplace = "shopify", externalStoreId = "host-bad-url", name = "n", credentials = new Dictionary<string, string> { ["accessToken"] = "t" },
                settings = new Dictionary<string, string> { ["baseUrl"] = address },
            };
            var refusedAddress = await client.PostJsonAsync("/api/connections", registration);
            Assert.True(refusedAddress.StatusCode == HttpStatusCode.BadRequest, $"{address}: {refusedAddress.StatusCode}");
            Assert.True((await refusedAddress.ReadJsonAsync()).GetProperty("errors").TryGetProperty("settings.baseUrl", out _), address);
            await AssertProblemAsync(await client.PatchAsync($"/api/connections/{connectionId}", JsonContent.Create(new { settings = new Dictionary<string, string> { ["baseUrl"] = address } })), HttpStatusCode.BadRequest, "not valid");
        }

        // No scope means nothing, not everything: an empty body, {}, two scopes at once, a run-full without one.
        await AssertProblemAsync(await client.PostRawAsync("/api/sync/trigger", ""), HttpStatusCode.BadRequest, "Name what to sync");
        await AssertProblemAsync(await client.PostRawAsync("/api/sync/trigger", "{}"), HttpStatusCode.BadRequest, "Name what to sync");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/trigger", new { mode = "full" }), HttpStatusCode.BadRequest, "Name what to sync");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, all = true }), HttpStatusCode.BadRequest, "one scope only");
        await AssertProblemAsync(await client.PostAsync("/api/sync/run-full", null), HttpStatusCode.BadRequest, "Name what to sync");
        await AssertProblemAsync(await client.PostJsonAsync("/api/sync/run-full", new { organizationId = "org-bad", all = true }), HttpStatusCode.BadRequest, "one scope only");
        await AssertProblemAsync(await client.PostRawAsync("/api/connections", "{\"organizationId\": \"o\", \"marketplace\": \"ebay\", \"externalStoreId\": \"s\", \"name\": \"n\"}"), HttpStatusCode.BadRequest, "not valid");
        await AssertProblemAsync(await client.GetAsync("/api/runs/nope"), HttpStatusCode.NotFound, "nope");
        await AssertProblemAsync(await host.Client(null).GetAsync("/api/sync/status"), HttpStatusCode.Unauthorized, "X-Api-Key");
        await AssertProblemAsync(await host.Client("wrong-key").GetAsync("/api/connections"), HttpStatusCode.Unauthorized, "X-Api-Key");

        var after = await (await client.GetAsync("/api/sync/status")).ReadJsonAsync();
        Assert.Equal(before.GetProperty("schedule").GetString(), after.GetProperty("schedule").GetString());
        Assert.Equal(before.GetProperty("enabled").GetBoolean(), after.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, after.GetProperty("activeRuns").GetArrayLength());
        Assert.Equal("pending", (await (await client.GetAsync($"/api/connections/{connectionId}/status")).ReadJsonAsync()).GetProperty("syncStatus").GetString());
        var list = await (await client.GetAsync("/api/connections")).ReadJsonAsync();
        Assert.Equal(1, list.GetProperty("connections").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await host.Client(null).GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task Stop_survives_a_restart_and_start_and_interval_take_effect_on_the_next_tick()
    {
        string connectionId;
        // A schedule of every second, which the API refuses by default, keeps this test short.
        var fast = new Dictionary<string, string?> { ["Scheduler:MinimumCronInterval"] = "00:00:01" };
        await using (var host = new HostApp(storage, "hostsched", fast))
        {
            var client = host.Client();
            Store("etsy", "host-sched");
            connectionId = (await (await client.PostJsonAsync("/api/connections", Registration("org-sched", "etsy", "host-sched"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
            Assert.True((await (await client.PostJsonAsync("/api/sync/interval", new { cron = "*/1 * * * * *" })).ReadJsonAsync()).TryGetProperty("nextRunAt", out _));
            var stopped = await (await client.PostAsync("/api/sync/stop", null)).ReadJsonAsync();
            Assert.False(stopped.GetProperty("enabled").GetBoolean());
        }

        await using (var restarted = new HostApp(storage, "hostsched", fast))
        {
            var client = restarted.Client();
            var status = await (await client.GetAsync("/api/sync/status")).ReadJsonAsync();
            Assert.False(status.GetProperty("enabled").GetBoolean());
            Assert.Equal("*/1 * * * * *", status.GetProperty("schedule").GetString());

            // Stopped: ticks go by and nothing runs.
            await restarted.PassesAsync(WorkerPasses.Scheduler, 4);
            Assert.False((await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync()).TryGetProperty("lastRun", out _));

            Assert.True((await (await client.PostAsync("/api/sync/start", null)).ReadJsonAsync()).GetProperty("enabled").GetBoolean());
            var lastRun = (await Eventually.WaitForAsync(
                async () => await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync(), c => c.TryGetProperty("lastRun", out _), TimeSpan.FromSeconds(30)))
                .GetProperty("lastRun");

            Assert.Equal("schedule", lastRun.GetProperty("trigger").GetString());
            var run = await client.WaitForRunAsync(lastRun.GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
            Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
            var cycle = (await (await client.GetAsync("/api/sync/status")).ReadJsonAsync()).GetProperty("lastCycle");
            Assert.Equal("scheduled", cycle.GetProperty("kind").GetString());
            await client.PostAsync("/api/sync/stop", null);
        }
    }

    [Fact]
    public async Task An_organization_key_sees_and_triggers_only_its_own_connections()
    {
        await using var host = new HostApp(storage, "hostkeys");
        var admin = host.Client();
        Store("shopify", "keys-a");
        Store("shopify", "keys-b");
        var a = (await (await admin.PostJsonAsync("/api/connections", Registration("org-a", "shopify", "keys-a"))).ReadJsonAsync()).GetProperty("connectionId").GetString();
        var b = (await (await admin.PostJsonAsync("/api/connections", Registration("org-b", "shopify", "keys-b"))).ReadJsonAsync()).GetProperty("connectionId").GetString();
        var issued = await admin.PostJsonAsync("/api/admin/keys", new { organizationId = "org-a" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var orgA = host.Client((await issued.ReadJsonAsync()).GetProperty("key").GetString());

        Assert.Equal(HttpStatusCode.OK, (await orgA.GetAsync($"/api/connections/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await orgA.GetAsync($"/api/connections/{b}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await orgA.GetAsync($"/api/connections/{b}/status")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await orgA.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { b } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await orgA.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/connections/{b}") { Content = new StringContent("{\"enabled\": false}", System.Text.Encoding.UTF8, "application/json") })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await orgA.DeleteAsync($"/api/connections/{b}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await orgA.PostAsync("/api/sync/stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await orgA.PostJsonAsync("/api/admin/keys", new { organizationId = "org-b" })).StatusCode);
        var listed = (await (await orgA.GetAsync("/api/connections")).ReadJsonAsync()).GetProperty("connections");
        Assert.Equal(new[] { a! }, listed.EnumerateArray().Select(c => c.GetProperty("connectionId").GetString()!).ToArray());

        // The sync token (the receipt import's credential) is shown once, at registration or rotation: no key reads it back.
        Assert.False(listed[0].TryGetProperty("syncToken", out _));
        Assert.False((await (await orgA.GetAsync($"/api/connections/{a}")).ReadJsonAsync()).TryGetProperty("syncToken", out _));
        Assert.False((await (await admin.GetAsync($"/api/connections/{a}")).ReadJsonAsync()).TryGetProperty("syncToken", out _));

        // Its own: trigger works, and the run is visible to it but not the other organization's runs.
        var runB = (await (await admin.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { b } })).ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await orgA.GetAsync($"/api/runs/{runB}")).StatusCode);
        var triggered = await orgA.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { a } });
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var runA = (await triggered.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
        Assert.Equal("succeeded", (await orgA.WaitForRunAsync(runA, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        await admin.WaitForRunAsync(runB!, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_second_trigger_while_a_run_is_active_is_a_conflict()
    {
        await using var host = new HostApp(storage, "hostconflict", new Dictionary<string, string?> { ["Workers:Count"] = "0" });
        var client = host.Client();
        Store("amazon", "host-conflict");
        var id = (await (await client.PostJsonAsync("/api/connections", Registration("org-c", "amazon", "host-conflict"))).ReadJsonAsync()).GetProperty("connectionId").GetString();

        var first = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { id } });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var runId = (await first.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString();
        var second = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { id } });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(runId!, (await second.ReadJsonAsync()).GetProperty("detail").GetString());

        var queued = await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync();
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        var status = await (await client.GetAsync("/api/sync/status")).ReadJsonAsync();
        Assert.Equal(runId, status.GetProperty("activeRuns")[0].GetProperty("runId").GetString());
    }

    [Fact]
    public async Task A_running_run_whose_runner_stops_renewing_its_lease_shows_stale_with_its_last_heartbeat()
    {
        // No workers: the run is made "running" under a lease its runner then stops renewing, as a crashed runner leaves it.
        await using var host = new HostApp(storage, "hoststale", new Dictionary<string, string?> { ["Workers:Count"] = "0" });
        var client = host.Client();
        Store("shopify", "host-stale");
        var id = (await (await client.PostJsonAsync("/api/connections", Registration("org-stale", "shopify", "host-stale"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var runId = (await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { id } })).ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
        var state = host.Services.GetRequiredService<ISyncStateStore>();
        var now = DateTimeOffset.UtcNow;
        Assert.NotNull(await state.ChangeUnheldRunAsync(runId, r => r with { Status = RunStatus.Running, StartedAt = now, UpdatedAt = now }, now, CancellationToken.None));
        Assert.NotNull((await state.TryAcquireLeaseAsync(id, SyncLane.Main, "runner-that-dies", TimeSpan.FromSeconds(3), CancellationToken.None)).Lease);

        var held = await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync();
        Assert.False(held.GetProperty("stale").GetBoolean());
        Assert.True(held.TryGetProperty("lastHeartbeatAt", out _));

        var stale = await Eventually.WaitForAsync(async () => await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync(), r => r.GetProperty("stale").GetBoolean());
        Assert.Equal("running", stale.GetProperty("status").GetString());
        var finished = await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync();
        Assert.True(finished.GetProperty("lastHeartbeatAt").GetDateTimeOffset() >= now.AddSeconds(-3));
    }

    [Fact]
    public async Task Deleting_a_connection_cancels_its_active_run_and_erases_its_credentials()
    {
        await using var host = new HostApp(storage, "hostdelete", new Dictionary<string, string?> { ["Workers:Count"] = "0" });
        var client = host.Client();
        Store("shopify", "host-delete");
        var id = (await (await client.PostJsonAsync("/api/connections", Registration("org-delete", "shopify", "host-delete"))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var runId = (await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { id } })).ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/connections/{id}")).StatusCode);

        var run = await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync();
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Contains("deleted", run.GetProperty("error").GetString());
        var stored = await host.Services.GetRequiredService<FunctionsSync.Core.Connections.IConnectionStore>().GetAsync(id, CancellationToken.None);
        Assert.Empty(stored!.Credentials);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/connections/{id}")).StatusCode);

        // Registered again, it carries the credentials it is registered with.
        var again = await (await client.PostJsonAsync("/api/connections", Registration("org-delete", "shopify", "host-delete"))).ReadJsonAsync();
        Assert.Equal(id, again.GetProperty("connectionId").GetString());
        Assert.NotEmpty((await host.Services.GetRequiredService<FunctionsSync.Core.Connections.IConnectionStore>().GetAsync(id, CancellationToken.None))!.Credentials);
    }

    [Fact]
    public async Task Organization_keys_are_listed_without_secrets_and_a_revoked_key_is_refused_on_every_replica()
    {
        var prefix = "hostrevoke" + Guid.NewGuid().ToString("N")[..6];
        await using var replicaA = new HostApp(storage, prefix);
        await using var replicaB = new HostApp(storage, prefix);
        var admin = replicaA.Client();
        var issued = await (await admin.PostJsonAsync("/api/admin/keys", new { organizationId = "org-revoke" })).ReadJsonAsync();
        var keyId = issued.GetProperty("id").GetString()!;
        var key = issued.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await replicaB.Client(key).GetAsync("/api/connections")).StatusCode);

        var listed = (await (await admin.GetAsync("/api/admin/keys?organizationId=org-revoke")).ReadJsonAsync()).GetProperty("keys");
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal((keyId, "org-revoke"), (entry.GetProperty("id").GetString(), entry.GetProperty("organizationId").GetString()));
        Assert.True(entry.TryGetProperty("createdAt", out _));
        Assert.True(entry.TryGetProperty("lastUsedAt", out _));
        Assert.DoesNotContain(key, listed.GetRawText());
        Assert.Contains(keyId, (await (await admin.GetAsync("/api/admin/keys")).ReadJsonAsync()).GetRawText());
        Assert.Equal(HttpStatusCode.Forbidden, (await replicaB.Client(key).GetAsync("/api/admin/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await replicaB.Client(key).DeleteAsync($"/api/admin/keys/{keyId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await replicaB.Client().DeleteAsync($"/api/admin/keys/{keyId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await replicaA.Client(key).GetAsync("/api/connections")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replicaB.Client(key).GetAsync("/api/connections")).StatusCode);
        Assert.Empty((await (await admin.GetAsync("/api/admin/keys?organizationId=org-revoke")).ReadJsonAsync()).GetProperty("keys").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/admin/keys/{keyId}")).StatusCode);
    }

    [Fact]
    public async Task Refused_credentials_mark_the_connection_and_the_next_cycle_skips_it_until_they_are_replaced()
    {
        await using var host = new HostApp(storage, "hostauth");
        var client = host.Client();
        Store("shopify", "host-auth");
        var registration = new
        {
            organizationId = "org-auth",
            marketplace = "shopify",
            externalStoreId = "host-auth",
            name = "auth",
            credentials = new Dictionary<string, string> { ["accessToken"] = "shpat_revoked" },
            settings = new Dictionary<string, string> { ["baseUrl"] = $"{simulator.BaseUrl}/shopify/host-auth" },
        };
        var id = (await (await client.PostJsonAsync("/api/connections", registration)).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var runId = (await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { id } })).ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;

        var run = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(30));
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("auth", run.GetProperty("errorKind").GetString());
        // The connection is flagged right after its run ends (a separate write).
        await Eventually.WaitForAsync(
            async () => await (await client.GetAsync($"/api/connections/{id}")).ReadJsonAsync(),
            connection => connection.GetProperty("health").GetString() == "action_required");
        Assert.Equal("failed", (await (await client.GetAsync($"/api/connections/{id}/status")).ReadJsonAsync()).GetProperty("syncStatus").GetString());

        // The refusal waits for a person as an auth_error conflict; a retry is refused while the credentials are the old ones.
        var authConflict = Assert.Single((await (await client.GetAsync($"/api/conflicts?connectionId={id}")).ReadJsonAsync()).GetProperty("conflicts").EnumerateArray());
        Assert.Equal("auth_error", authConflict.GetProperty("type").GetString());
        Assert.Equal("open", authConflict.GetProperty("status").GetString());
        var conflictId = authConflict.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJsonAsync($"/api/conflicts/{conflictId}/resolve", new { resolution = "retry" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync($"/api/conflicts/{conflictId}/resolve", new { resolution = "accept_source" })).StatusCode);

        var planner = host.Services.GetRequiredService<CyclePlanner>();
        var skipped = await planner.RunAsync(CycleKind.Scheduled, null, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(1, skipped.SkippedNeedsAttention);
        Assert.Equal(0, skipped.Queued);
        // A full sync asked for says which it left out and why.
        var full = await (await client.PostJsonAsync("/api/sync/run-full", new { all = true })).ReadJsonAsync();
        var left = Assert.Single(full.GetProperty("skipped").EnumerateArray());
        Assert.Equal((id, "needs_attention"), (left.GetProperty("connectionId").GetString(), left.GetProperty("reason").GetString()));

        // New credentials: scheduled again.
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/connections/{id}")
        {
            Content = JsonContent.Create(new { credentials = SyncHarness.CredentialsFor("shopify", "host-auth") }),
        };
        // No longer waiting for a person; its last run still failed.
        Assert.Equal("error", (await (await client.SendAsync(patch)).ReadJsonAsync()).GetProperty("health").GetString());
        var again = await planner.RunAsync(CycleKind.Full, null, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(1, again.Queued);
        Assert.Equal("succeeded", (await client.WaitForRunAsync(again.RunIds[0], TimeSpan.FromSeconds(60))).GetProperty("status").GetString());

        // Settled: the operator closes the conflict, and the log says who did.
        var resolved = await client.PostJsonAsync($"/api/conflicts/{conflictId}/resolve", new { resolution = "skip", note = "credentials rotated" });
        Assert.Equal("skipped", (await resolved.ReadJsonAsync()).GetProperty("status").GetString());
        var activity = (await (await client.GetAsync($"/api/connections/{id}/activity")).ReadJsonAsync()).GetProperty("activity");
        Assert.Contains("credentials rotated", activity[0].GetProperty("details").GetString());
    }
}

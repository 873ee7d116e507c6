using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.SelfHosted.Workers;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>Webhooks end to end: the outbox, the dispatcher, retries, replays and the simulator's verifying receiver.</summary>
[Collection(QuietCollection.Name)]
public sealed class WebhookDeliveryTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private static Dictionary<string, string?> FastDelivery(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:RetrySchedule:0"] = "00:00:00.200",
            ["Webhooks:SweepInterval"] = "00:00:00.100",
            ["Webhooks:SweepAfter"] = "00:00:00",
            ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task A_receiver_failing_three_times_then_recovering_gets_the_event_once_with_every_attempt_logged()
    {
        await using var host = new HostApp(storage, "whretry", FastDelivery());
        var client = host.Client();
        var connectionId = await RegisterAsync(client, "org-hooks", "hook-retry-store");
        var receiver = $"retry-{Guid.NewGuid():N}";
        var endpoint = await CreateEndpointAsync(client, "org-hooks", receiver, ["sync.completed"]);
        await ConfigureReceiverAsync(receiver, endpoint.GetProperty("secret").GetString()!, failNext: 3);

        var trigger = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        var runId = trigger.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(60));

        var got = await WaitForReceiverAsync(receiver, r => r.GetProperty("accepted").GetArrayLength() == 1);
        // Nothing more may arrive once it was accepted: neither the queue nor the retry sweep sends it again.
        await host.PassesAsync(WorkerPasses.WebhookQueue);
        await host.PassesAsync(WorkerPasses.WebhookSweep);
        got = await ReceiverAsync(receiver);
        Assert.Equal(1, got.GetProperty("accepted").GetArrayLength());
        var attempts = got.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([500, 500, 500, 200], attempts.Select(a => a.GetProperty("status").GetInt32()));
        Assert.Equal(0, got.GetProperty("badSignatures").GetInt32());
        var accepted = got.GetProperty("accepted")[0];
        using var body = JsonDocument.Parse(accepted.GetProperty("body").GetString()!);
        Assert.Equal("sync.completed", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(runId, body.RootElement.GetProperty("data").GetProperty("runId").GetString());

        var deliveries = (await (await client.GetAsync($"/api/webhooks/{endpoint.GetProperty("id").GetString()}/deliveries")).ReadJsonAsync()).GetProperty("deliveries");
        var delivery = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(accepted.GetProperty("webhookId").GetString(), delivery.GetProperty("eventId").GetString());
        var log = delivery.GetProperty("log").EnumerateArray().ToList();
        Assert.Equal([500, 500, 500, 200], log.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal([1, 2, 3, 4], log.Select(a => a.GetProperty("number").GetInt32()));

        // A replay sends the same webhook-id again: the receiver's dedupe holds, and the log grows by one.
        var replay = await client.PostAsync($"/api/webhooks/deliveries/{delivery.GetProperty("id").GetString()}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        got = await WaitForReceiverAsync(receiver, r => r.GetProperty("duplicates").GetInt32() == 1);
        Assert.Equal(1, got.GetProperty("accepted").GetArrayLength());
        var replayed = await Eventually.WaitForAsync(async () =>
            (await (await client.GetAsync($"/api/webhooks/{endpoint.GetProperty("id").GetString()}/deliveries")).ReadJsonAsync()).GetProperty("deliveries")[0],
            d => d.GetProperty("log").GetArrayLength() == 5 && d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(5, replayed.GetProperty("log")[4].GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task A_delivery_mid_attempt_is_neither_sent_again_by_a_second_worker_nor_replayed_until_the_attempt_ends()
    {
        await using var host = new HostApp(storage, "whinflight", FastDelivery());
        var client = host.Client();
        var connectionId = await RegisterAsync(client, "org-inflight", "hook-inflight-store");
        var receiver = $"inflight-{Guid.NewGuid():N}";
        var endpoint = await CreateEndpointAsync(client, "org-inflight", receiver, ["sync.completed"]);
        var endpointId = endpoint.GetProperty("id").GetString()!;
        await ConfigureReceiverAsync(receiver, endpoint.GetProperty("secret").GetString()!, failNext: 0);
        await SyncAsync(client, connectionId);
        await WaitForReceiverAsync(receiver, r => r.GetProperty("accepted").GetArrayLength() == 1);
        var id = (await Eventually.WaitForAsync(
            async () => (await (await client.GetAsync($"/api/webhooks/{endpointId}/deliveries")).ReadJsonAsync()).GetProperty("deliveries")[0],
            d => d.GetProperty("status").GetString() == "delivered")).GetProperty("id").GetString()!;

        // The receiver answers 3 s late, so the replay's attempt (by the signal's worker or the sweeper, whichever claims
        // it) is in flight while a second worker reads the delivery fresh and while an operator replays it again.
        using (var http = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync($"/mock/webhooks/{receiver}/delay", new { milliseconds = 3_000 })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/webhooks/deliveries/{id}/replay", null)).StatusCode);
        Assert.True(DeliveryIds.TryParse(id, out _, out var eventId));
        var webhooks = host.Services.GetRequiredService<IWebhookStore>();
        var claimed = await Eventually.WaitForAsync(() => webhooks.GetDeliveryAsync(endpointId, eventId, CancellationToken.None), d => d!.ClaimedUntil is not null);
        await host.Services.GetRequiredService<WebhookDispatcher>().AttemptByIdAsync(endpointId, eventId, CancellationToken.None);
        var refused = await client.PostAsync($"/api/webhooks/deliveries/{id}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var during = await webhooks.GetDeliveryAsync(endpointId, eventId, CancellationToken.None);
        Assert.Equal(claimed!.Version, during!.Version);

        // One send of the replay, recorded: the log grows by one, the receiver counts one duplicate, and the queue and
        // the sweep have nothing more to send.
        var settled = await Eventually.WaitForAsync(() => webhooks.GetDeliveryAsync(endpointId, eventId, CancellationToken.None), d => d!.Status == DeliveryStatus.Delivered && d.Log.Count == 2);
        Assert.Null(settled!.ClaimedUntil);
        await host.PassesAsync(WorkerPasses.WebhookQueue);
        await host.PassesAsync(WorkerPasses.WebhookSweep);
        var got = await ReceiverAsync(receiver);
        Assert.Equal(1, got.GetProperty("duplicates").GetInt32());
        Assert.Equal(2, got.GetProperty("attempts").GetArrayLength());
        Assert.Equal(2, (await webhooks.GetDeliveryAsync(endpointId, eventId, CancellationToken.None))!.Log.Count);
    }

    [Fact]
    public async Task A_receiver_that_never_recovers_leaves_a_failed_delivery_with_the_last_error_and_syncing_goes_on()
    {
        await using var host = new HostApp(storage, "whdead", FastDelivery(("Webhooks:MaxAttempts", "3")));
        var client = host.Client();
        var connectionId = await RegisterAsync(client, "org-dead", "hook-dead-store");
        var receiver = $"dead-{Guid.NewGuid():N}";
        var endpoint = await CreateEndpointAsync(client, "org-dead", receiver, ["sync.started", "sync.completed"]);
        await ConfigureReceiverAsync(receiver, endpoint.GetProperty("secret").GetString()!, failNext: 1000);

        var trigger = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        var run = await client.WaitForRunAsync(trigger.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());

        var deliveries = await Eventually.WaitForAsync(
            async () => (await (await client.GetAsync($"/api/webhooks/{endpoint.GetProperty("id").GetString()}/deliveries")).ReadJsonAsync()).GetProperty("deliveries"),
            d => d.GetArrayLength() == 2 && d.EnumerateArray().All(x => x.GetProperty("status").GetString() == "failed"));
        Assert.All(deliveries.EnumerateArray(), d =>
        {
            Assert.Equal(3, d.GetProperty("attempts").GetInt32());
            Assert.Equal(3, d.GetProperty("log").GetArrayLength());
            Assert.Contains("500", d.GetProperty("lastError").GetString());
        });
        Assert.Empty((await ReceiverAsync(receiver)).GetProperty("accepted").EnumerateArray());
    }

    [Fact]
    public async Task An_endpoint_failing_for_longer_than_the_limit_is_disabled()
    {
        await using var host = new HostApp(storage, "whdisable", FastDelivery(("Webhooks:MaxAttempts", "20"), ("Webhooks:DisableAfter", "00:00:01")));
        var client = host.Client();
        var connectionId = await RegisterAsync(client, "org-disable", "hook-disable-store");
        var receiver = $"disable-{Guid.NewGuid():N}";
        var endpoint = await CreateEndpointAsync(client, "org-disable", receiver, ["sync.completed"]);
        await ConfigureReceiverAsync(receiver, endpoint.GetProperty("secret").GetString()!, failNext: 1000);

        var trigger = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        await client.WaitForRunAsync(trigger.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));

        var listed = await Eventually.WaitForAsync(
            async () => (await (await client.GetAsync("/api/webhooks?organizationId=org-disable")).ReadJsonAsync()).GetProperty("webhooks")[0],
            e => e.TryGetProperty("disabledAt", out _));
        Assert.Contains("500", listed.GetProperty("disabledReason").GetString());
        var delivery = await Eventually.WaitForAsync(
            async () => (await (await client.GetAsync($"/api/webhooks/{endpoint.GetProperty("id").GetString()}/deliveries")).ReadJsonAsync()).GetProperty("deliveries")[0],
            d => d.GetProperty("status").GetString() == "failed");
        // Retried (a disable needs a failure a second after the first), and stopped by the time limit, not by the 20 attempts;
        // how many retries fit in that second depends on the machine's load.
        Assert.InRange(delivery.GetProperty("log").GetArrayLength(), 2, 19);
    }

    [Fact]
    public async Task A_receiver_slower_than_the_timeout_holds_up_neither_the_sync_nor_its_data()
    {
        await using var host = new HostApp(storage, "whslow", FastDelivery(("Webhooks:RequestTimeout", "00:00:00.500"), ("Webhooks:MaxAttempts", "2")));
        var client = host.Client();
        var connectionId = await RegisterAsync(client, "org-slow", "hook-slow-store");
        var receiver = $"slow-{Guid.NewGuid():N}";
        var endpoint = await CreateEndpointAsync(client, "org-slow", receiver, ["sync.started", "sync.completed", "sync.failed", "conflict.created"]);
        await ConfigureReceiverAsync(receiver, endpoint.GetProperty("secret").GetString()!, failNext: 0);
        using (var http = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync($"/mock/webhooks/{receiver}/delay", new { milliseconds = 30_000 })).StatusCode);
        }

        var trigger = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        var run = await client.WaitForRunAsync(trigger.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(20));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(30, (await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync()).GetProperty("records").GetProperty("orders").GetInt64());

        var deliveries = await Eventually.WaitForAsync(
            async () => (await (await client.GetAsync($"/api/webhooks/{endpoint.GetProperty("id").GetString()}/deliveries")).ReadJsonAsync()).GetProperty("deliveries"),
            d => d.GetArrayLength() == 2 && d.EnumerateArray().All(x => x.GetProperty("status").GetString() == "failed"));
        Assert.All(deliveries.EnumerateArray(), d => Assert.Contains("No answer within", d.GetProperty("lastError").GetString()));
    }

    [Fact]
    public async Task The_simulated_receiver_verifies_signatures_dedupes_and_fails_when_told()
    {
        var receiver = $"direct-{Guid.NewGuid():N}";
        var secret = WebhookSigner.NewSecret();
        await ConfigureReceiverAsync(receiver, secret, failNext: 0);
        using var http = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
        async Task<HttpStatusCode> SendAsync(string id, string body, string? signature = null, bool failHeader = false)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/mock/webhooks/{receiver}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", signature ?? WebhookSigner.Sign(secret, id, now, body));
            if (failHeader)
            {
                request.Headers.Add("x-fail", "true");
            }

            return (await http.SendAsync(request)).StatusCode;
        }

        const string body = "{\"type\":\"sync.completed\",\"data\":{}}";
        Assert.Equal(HttpStatusCode.OK, await SendAsync("evt_1", body));
        Assert.Equal(HttpStatusCode.OK, await SendAsync("evt_1", body));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("evt_2", body, signature: "v1,bm90IGEgc2lnbmF0dXJl"));
        Assert.Equal(HttpStatusCode.InternalServerError, await SendAsync("evt_3", body, failHeader: true));
        Assert.Equal(HttpStatusCode.InternalServerError, await SendAsync("evt_4", "{\"data\":{\"receipt\":\"R-1005\"}}"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync("evt_5", "{\"data\":{\"receipt\":\"R-1007\"}}"));

        var got = await ReceiverAsync(receiver);
        Assert.Equal(["evt_1", "evt_5"], got.GetProperty("accepted").EnumerateArray().Select(a => a.GetProperty("webhookId").GetString()));
        Assert.Equal(1, got.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, got.GetProperty("badSignatures").GetInt32());
    }

    [Fact]
    public async Task An_event_written_by_a_host_killed_before_its_enqueue_is_delivered_once_a_host_is_back()
    {
        const string prefix = "whcrash";
        var receiver = $"crash-{Guid.NewGuid():N}";
        string runId;
        await using (var crashed = new SyncHarness(storage, simulator, prefix, replace: s => s.AddSingleton<IWebhookSignal, KilledBeforeEnqueue>()))
        {
            var (connection, _) = await crashed.AddStoreAsync("woocommerce", "hook-crash-store", new SimStoreConfig { Orders = 30, Products = 5, Customers = 5, Seed = 9 }, "org-crash");
            var secret = WebhookSigner.NewSecret();
            await crashed.Services.GetRequiredService<IWebhookStore>().CreateEndpointAsync(new WebhookEndpoint
            {
                Id = DeliveryIds.NewEndpointId(), OrganizationId = "org-crash", TargetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}",
                Events = ["sync.started", "sync.completed"], Secret = secret, CreatedAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None);
            await ConfigureReceiverAsync(receiver, secret, failNext: 0);

            var outcome = await crashed.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
            runId = outcome.Run!.RunId;
            Assert.Equal(Core.Runs.RunStatus.Succeeded, outcome.Run.Status);

            // The status changes and their events are stored; no message announces them.
            var waiting = await crashed.Services.GetRequiredService<IOutbox>().ListWaitingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 100, CancellationToken.None);
            Assert.Equal(["sync.completed", "sync.started"], waiting.Where(e => e.ConnectionId == connection.Id).Select(e => e.Type).Order());
            Assert.Null(await crashed.Services.GetRequiredService<StorageProbe>().PeekMessageAsync(TableNames.WebhookQueue, CancellationToken.None));
        }

        await using var host = new HostApp(storage, prefix, FastDelivery());
        _ = host.Client(); // starts the host: its sweeper finds the rows
        var got = await WaitForReceiverAsync(receiver, r => r.GetProperty("accepted").GetArrayLength() == 2);
        var types = got.GetProperty("accepted").EnumerateArray()
            .Select(a => JsonDocument.Parse(a.GetProperty("body").GetString()!).RootElement)
            .Select(b => (Type: b.GetProperty("type").GetString(), RunId: b.GetProperty("data").GetProperty("runId").GetString()))
            .ToList();
        Assert.Equal([("sync.completed", runId), ("sync.started", runId)], types.OrderBy(t => t.Type));
        Assert.Equal(0, got.GetProperty("badSignatures").GetInt32());
        await using var after = new SyncHarness(storage, simulator, prefix);
        await Eventually.WaitForAsync(
            async () => await after.Services.GetRequiredService<IOutbox>().ListWaitingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 100, CancellationToken.None),
            rows => rows.Count == 0);
    }

    [Theory]
    [InlineData("ftp://hooks.example.com/x", "targetUrl")]
    [InlineData("http://localhost:8080/hook", "targetUrl")]
    [InlineData("http://10.1.2.3/hook", "targetUrl")]
    [InlineData("http://169.254.169.254/latest/meta-data", "targetUrl")]
    [InlineData("http://[::1]/hook", "targetUrl")]
    [InlineData("https://user:pw@hooks.example.com/x", "targetUrl")]
    public async Task Unsafe_targets_are_refused_and_nothing_is_created(string url, string field)
    {
        await using var host = new HostApp(storage, "whbad");
        var client = host.Client();
        var response = await client.PostJsonAsync("/api/webhooks", new { organizationId = "org-bad", events = new[] { "sync.completed" }, targetUrl = url });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty((await (await client.GetAsync("/api/webhooks?organizationId=org-bad")).ReadJsonAsync()).GetProperty("webhooks").EnumerateArray());
    }

    [Fact]
    public async Task Endpoints_are_created_listed_without_their_secret_and_deleted()
    {
        await using var host = new HostApp(storage, "whcrud");
        var client = host.Client();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync("/api/webhooks", new { organizationId = "org-crud", events = new[] { "sync.exploded" }, targetUrl = "https://hooks.example.com/a" })).StatusCode);
        var created = await client.PostJsonAsync("/api/webhooks", new { organizationId = "org-crud", events = new[] { "sync.failed", "conflict.created" }, targetUrl = "https://hooks.example.com/a", description = "ERP" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        Assert.StartsWith("whsec_", body.GetProperty("secret").GetString());
        var id = body.GetProperty("id").GetString()!;

        var listed = (await (await client.GetAsync("/api/webhooks?organizationId=org-crud")).ReadJsonAsync()).GetProperty("webhooks");
        var item = Assert.Single(listed.EnumerateArray());
        Assert.False(item.TryGetProperty("secret", out _));
        Assert.Equal("ERP", item.GetProperty("description").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/webhooks/{id}/deliveries")).StatusCode);
    }

    [Fact]
    public async Task A_rotated_secret_signs_beside_the_previous_one_so_the_receiver_can_switch_without_a_rejection()
    {
        await using var host = new HostApp(storage, "whrotate", FastDelivery());
        var client = host.Client();
        var connectionId = await RegisterAsync(client, "org-rotate", "hook-rotate-store");
        var receiver = $"rotate-{Guid.NewGuid():N}";
        var endpoint = await CreateEndpointAsync(client, "org-rotate", receiver, ["sync.completed"]);
        var id = endpoint.GetProperty("id").GetString()!;
        var old = endpoint.GetProperty("secret").GetString()!;
        await ConfigureReceiverAsync(receiver, old, failNext: 0);

        var rotated = await (await client.PostAsync($"/api/webhooks/{id}/secret", null)).ReadJsonAsync();
        var fresh = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(old, fresh);
        Assert.True(rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
        Assert.False((await (await client.GetAsync("/api/webhooks?organizationId=org-rotate")).ReadJsonAsync()).GetProperty("webhooks")[0].TryGetProperty("secret", out _));

        // The receiver still checks the old secret: the delivery carries both signatures and verifies.
        await SyncAsync(client, connectionId);
        var got = await WaitForReceiverAsync(receiver, r => r.GetProperty("accepted").GetArrayLength() == 1);
        Assert.Equal(0, got.GetProperty("badSignatures").GetInt32());

        // Switched to the new secret: verifies too.
        await ConfigureReceiverAsync(receiver, fresh, failNext: 0);
        await SyncAsync(client, connectionId);
        got = await WaitForReceiverAsync(receiver, r => r.GetProperty("accepted").GetArrayLength() == 2);
        Assert.Equal(0, got.GetProperty("badSignatures").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/webhooks/wnosuchendpoint/secret", null)).StatusCode);
    }

    private static async Task SyncAsync(HttpClient client, string connectionId)
    {
        var trigger = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        await client.WaitForRunAsync(trigger.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Eight rotations of one endpoint's secret and two PATCHes, all at once: every change is kept (both PATCHes'
    /// fields, and the secret current and previous are two of the rotations' answers), deliveries afterwards verify
    /// with the current secret, and with the previous one during the overlap.
    /// </summary>
    [Fact]
    public async Task Concurrent_rotations_and_patches_of_one_endpoint_lose_no_change()
    {
        await using var host = new HostApp(storage, "whrace", FastDelivery());
        var client = host.Client();
        var connectionId = await RegisterAsync(client, "org-hooks", "hook-race-store");
        var receiver = $"race-{Guid.NewGuid():N}";
        var endpoint = await CreateEndpointAsync(client, "org-hooks", receiver, ["sync.completed"]);
        var id = endpoint.GetProperty("id").GetString()!;
        var original = endpoint.GetProperty("secret").GetString()!;

        var rotations = Enumerable.Range(0, 8).Select(_ => client.PostAsync($"/api/webhooks/{id}/secret", null)).ToList();
        var patches = new[]
        {
            client.PatchAsJsonAsync($"/api/webhooks/{id}", new { description = "kept from the first PATCH" }),
            client.PatchAsJsonAsync($"/api/webhooks/{id}", new { events = new[] { "sync.completed", "sync.failed" } }),
        };
        var answers = await Task.WhenAll(rotations.Concat(patches));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var issued = new List<string>();
        foreach (var rotation in rotations)
        {
            issued.Add((await (await rotation).ReadJsonAsync()).GetProperty("secret").GetString()!);
        }

        var view = await (await client.GetAsync($"/api/webhooks/{id}")).ReadJsonAsync();
        Assert.Equal("kept from the first PATCH", view.GetProperty("description").GetString());
        Assert.Equal(["sync.completed", "sync.failed"], view.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var stored = (await host.Services.GetRequiredService<IWebhookStore>().GetEndpointAsync(id, CancellationToken.None))!;
        Assert.Contains(stored.Secret, issued);
        Assert.Contains(stored.PreviousSecret, issued);
        Assert.NotEqual(original, stored.PreviousSecret);

        // A receiver given the current secret verifies the next delivery; one given the previous, the one after.
        foreach (var (secret, n) in new[] { (stored.Secret, 1), (stored.PreviousSecret!, 2) })
        {
            await ConfigureReceiverAsync(receiver, secret, failNext: 0);
            var trigger = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId } })).ReadJsonAsync();
            await client.WaitForRunAsync(trigger.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
            var got = await WaitForReceiverAsync(receiver, r => r.GetProperty("accepted").GetArrayLength() == n);
            Assert.Equal(0, got.GetProperty("badSignatures").GetInt32());
        }
    }

    private async Task<string> RegisterAsync(HttpClient client, string organizationId, string storeId) =>
        (await client.RegisterSimulatedAsync(simulator, organizationId, "woocommerce", storeId, new SimStoreConfig { Orders = 30, Products = 5, Customers = 5, Seed = 3 })).ConnectionId;

    private async Task<JsonElement> CreateEndpointAsync(HttpClient client, string organizationId, string receiver, string[] events)
    {
        var response = await client.PostJsonAsync("/api/webhooks", new { organizationId, events, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private async Task ConfigureReceiverAsync(string receiver, string secret, int failNext)
    {
        using var http = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
        Assert.Equal(HttpStatusCode.NoContent, (await http.PutAsJsonAsync($"/mock/webhooks/{receiver}/secret", new { secret })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync($"/mock/webhooks/{receiver}/fail", new { count = failNext })).StatusCode);
    }

    private async Task<JsonElement> ReceiverAsync(string receiver)
    {
        using var http = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl) };
        return await (await http.GetAsync($"/mock/webhooks/{receiver}")).ReadJsonAsync();
    }

    private Task<JsonElement> WaitForReceiverAsync(string receiver, Func<JsonElement, bool> condition) =>
        Eventually.WaitForAsync(() => ReceiverAsync(receiver), condition);

    /// <summary>The process dies after its checkpoint and before its enqueue: the signal never goes out.</summary>
    private sealed class KilledBeforeEnqueue : IWebhookSignal
    {
        public Task SignalAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The host was killed before it enqueued the event.");

        public Task SignalDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The host was killed before it enqueued the delivery.");
    }
}

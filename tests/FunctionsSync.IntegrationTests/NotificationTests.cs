using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Marketplace change notifications as hints, over real HTTP from the simulator to the self-hosted runtime (its
/// schedule off, so only notifications start runs): the sender is verified (a forged signature is a 401 and starts
/// nothing), duplicates are dropped, a burst is coalesced into a few incremental runs, and with notifications
/// dropped, delayed and duplicated every change is stored, seconds after it was made.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class NotificationTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string Secret = "wc-webhook-secret-0b1f";

    [Theory]
    [InlineData("woocommerce", "woo-notify")]
    [InlineData("shopify", "shop-notify")]
    public async Task Signed_notifications_start_coalesced_incremental_runs_that_store_every_change_within_seconds(string marketplace, string storeId)
    {
        await using var host = new HostApp(storage, "notify" + marketplace[..4], new Dictionary<string, string?>
        {
            ["Scheduler:EnabledByDefault"] = "false",
            ["Sync:OverlapWindow"] = "00:00:01",
        });
        var baseUrl = host.StartOnFreePort();
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", HostApp.AdminKey);
        var credentials = new Dictionary<string, string>(SyncHarness.CredentialsFor(marketplace, storeId)) { ["webhookSecret"] = Secret };
        var store = simulator.State.PutStore(marketplace, storeId, new SimStoreConfig { Orders = 200, Products = 60, Customers = 30, Seed = 95, Credentials = credentials });
        var registered = await (await client.PostJsonAsync("/api/connections", new
        {
            organizationId = "org-notify", marketplace, externalStoreId = storeId, name = storeId, credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor(marketplace, storeId) },
        })).ReadJsonAsync();
        var connectionId = registered.GetProperty("connectionId").GetString()!;
        var full = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        Assert.Equal("succeeded", (await client.WaitForRunAsync(full.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        var runsBefore = await RunsAsync(client, connectionId);
        var marksBefore = await MarksAsync(client, connectionId);
        var requestsSince = simulator.State.Time.GetUtcNow();

        // A forged notification (signed with another secret) and an unsigned one: 401, nothing started.
        var body = "{\"id\": 1}";
        var topicHeader = marketplace == "shopify" ? "X-Shopify-Topic" : "X-WC-Webhook-Topic";
        var signatureHeader = marketplace == "shopify" ? "X-Shopify-Hmac-Sha256" : "X-WC-Webhook-Signature";
        foreach (var signature in new[] { Sign("another-secret", body), null })
        {
            using var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/{connectionId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            forged.Headers.Add(topicHeader, marketplace == "shopify" ? "orders/updated" : "order.updated");
            if (signature is not null)
            {
                forged.Headers.Add(signatureHeader, signature);
            }

            using var refused = await new HttpClient { BaseAddress = new Uri(baseUrl) }.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(runsBefore.Count, (await RunsAsync(client, connectionId)).Count);

        // The app's subscription; then 60 changes, with 5 % of their notifications dropped, 10 % late, 20 % twice.
        store.Subscription = new SimSubscription($"{baseUrl}/api/notifications/{connectionId}", Secret);
        simulator.State.Faults = new SimFaults { NotificationDropShare = 0.05, NotificationDelayShare = 0.10, NotificationDelayMs = 1_500, NotificationDuplicateShare = 0.20, Seed = 11 };
        List<(SimKind Kind, int Index)> changed;
        try
        {
            changed = [.. new[] { (SimKind.Orders, 40), (SimKind.Products, 12), (SimKind.Customers, 8) }
                .SelectMany(c => store.Mutate(c.Item1, c.Item2, DateTimeOffset.UtcNow).Select(index => (c.Item1, index)))];
            // Each change whose notification came is stored by the run it started, which reads just the records named.
            var notifiedChanges = changed.Except(Dropped(store)).ToList();
            var stored = host.Services.GetRequiredService<IStoredRecords>();
            try
            {
                await Eventually.WaitForAsync(() => StoredAsync(stored, connectionId, store, notifiedChanges), all => all, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
            }
            catch (Exception)
            {
                Assert.Fail("not stored; notifications: " + string.Join(", ", simulator.State.Notifier.Attempts.GroupBy(a => (a.Topic, a.Status)).Select(g => $"{g.Key.Topic} {g.Key.Status} x{g.Count()}")) + "; runs: " + string.Join("\n", (await RunsAsync(client, connectionId)).Select(r => $"{r.GetProperty("trigger")} {r.GetProperty("status")} {r.GetProperty("counters")} {(r.TryGetProperty("error", out var e) ? e.ToString() : "")}")));
            }
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
            store.Subscription = null;
        }

        // Every delivery was taken (200 or 202): none refused, none failed.
        var subscription = $"{baseUrl}/api/notifications/{connectionId}";
        Assert.All(simulator.State.Notifier.Attempts.Where(a => a.Url == subscription), a => Assert.True(a.Status is 200 or 202, $"{a.Topic} answered {a.Status}"));

        // Coalesced: a handful of runs for 60 changes and their 70-odd deliveries, all started by notifications.
        var runs = await Eventually.WaitForAsync(() => RunsAsync(client, connectionId), all => all.All(r => r.GetProperty("status").GetString() is "succeeded" or "partial" or "failed" or "cancelled"));
        var notified = runs.Where(r => r.GetProperty("trigger").GetString() == "notification").ToList();
        Assert.Equal(runs.Count - runsBefore.Count, notified.Count);
        Assert.InRange(notified.Count, 1, 15);
        Assert.All(notified, r => Assert.Equal("incremental", r.GetProperty("mode").GetString()));
        // Each read just the records named (at most the 40 orders changed), and moved no feed's mark.
        Assert.All(notified.SelectMany(r => r.GetProperty("entities").EnumerateArray()), e => Assert.InRange(e.GetProperty("targeted").GetInt32(), 1, 40));
        Assert.All(notified.SelectMany(r => r.GetProperty("entities").EnumerateArray()).Where(e => e.GetProperty("entityType").GetString() != "prices"),
            e => Assert.InRange(e.GetProperty("counters").GetProperty("processed").GetInt64(), 0, e.GetProperty("targeted").GetInt32()));
        if (marketplace == "woocommerce")
        {
            // By include only: no list read from a mark, no walk of the customers.
            var lists = simulator.State.Requests.Where(r => r.At >= requestsSince && r.StoreId == storeId && !r.Path.Contains("/variations", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(lists);
            Assert.All(lists, r => Assert.Contains("include=", r.Path, StringComparison.Ordinal));
        }

        Assert.Equal(marksBefore, await MarksAsync(client, connectionId));
        // Within seconds: 95 % of the changes the notified runs stored landed within 10 s of being made.
        var slowest = notified.SelectMany(r => r.GetProperty("entities").EnumerateArray())
            .Where(e => e.TryGetProperty("freshness", out var f) && f.ValueKind == JsonValueKind.Object)
            .Max(e => e.GetProperty("freshness").GetProperty("p95Seconds").GetDouble());
        Assert.InRange(slowest, 0, 10);

        // The changes whose notification was lost are the schedule's sweep's: an incremental run from the marks stores them.
        await SweepAsync(client, connectionId);
        Assert.True(await ExactAsync(host.Services.GetRequiredService<IRecordQuery>(), connectionId, store));
    }

    /// <summary>
    /// Etsy's order events, signed the Standard Webhooks way: a wrong signature, a stale timestamp (a replay) and a
    /// missing id are refused; 30 order changes, their notifications partly dropped, late and repeated, are all stored.
    /// </summary>
    [Fact]
    public async Task Etsy_order_events_signed_the_standard_webhooks_way_store_every_change_and_replays_are_refused()
    {
        await using var host = new HostApp(storage, "notifyetsy", new Dictionary<string, string?>
        {
            ["Scheduler:EnabledByDefault"] = "false",
            ["Sync:OverlapWindow"] = "00:00:01",
        });
        var baseUrl = host.StartOnFreePort();
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", HostApp.AdminKey);
        const string storeId = "6200431";
        var secret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("etsy-signing-key-for-tests-0123"));
        var credentials = new Dictionary<string, string>(SyncHarness.CredentialsFor("etsy", storeId)) { ["webhookSecret"] = secret };
        var store = simulator.State.PutStore("etsy", storeId, new SimStoreConfig { Orders = 150, Products = 20, Customers = 0, Seed = 96, Credentials = credentials });
        var connectionId = (await (await client.PostJsonAsync("/api/connections", new
        {
            organizationId = "org-notify", marketplace = "etsy", externalStoreId = storeId, name = storeId, credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("etsy", storeId) },
        })).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var full = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        Assert.Equal("succeeded", (await client.WaitForRunAsync(full.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        var runsBefore = (await RunsAsync(client, connectionId)).Count;

        var body = $"{{\"event_type\":\"order.paid\",\"resource_url\":\"https://api.etsy.com/v3/application/shops/{storeId}/receipts/1\",\"shop_id\":{storeId}}}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        string EtsySign(string id, long at, byte[] with) => "v1," + Convert.ToBase64String(HMACSHA256.HashData(with, Encoding.UTF8.GetBytes($"{id}.{at}.{body}")));
        foreach (var (id, at, signature) in new[]
        {
            ("msg_forged", now, EtsySign("msg_forged", now, Encoding.UTF8.GetBytes("another key"))),
            ("msg_stale", now - 600, EtsySign("msg_stale", now - 600, key)),
            ("", now, EtsySign("", now, key)),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/{connectionId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", at.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", signature);
            using var refused = await new HttpClient { BaseAddress = new Uri(baseUrl) }.SendAsync(request);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{id} at {at}: {refused.StatusCode}");
        }

        Assert.Equal(runsBefore, (await RunsAsync(client, connectionId)).Count);

        store.Subscription = new SimSubscription($"{baseUrl}/api/notifications/{connectionId}", secret);
        simulator.State.Faults = new SimFaults { NotificationDropShare = 0.05, NotificationDelayShare = 0.10, NotificationDelayMs = 1_500, NotificationDuplicateShare = 0.20, Seed = 13 };
        try
        {
            store.Mutate(SimKind.Orders, 30, DateTimeOffset.UtcNow);
            var records = host.Services.GetRequiredService<IRecordQuery>();
            await Eventually.WaitForAsync(() => ExactAsync(records, connectionId, store, [EntityType.Orders]), exact => exact, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
            store.Subscription = null;
        }

        var subscription = $"{baseUrl}/api/notifications/{connectionId}";
        Assert.All(simulator.State.Notifier.Attempts.Where(a => a.Url == subscription), a => Assert.True(a.Status is 200 or 202, $"{a.Topic} answered {a.Status}"));
        var runs = await Eventually.WaitForAsync(() => RunsAsync(client, connectionId), all => all.All(r => r.GetProperty("status").GetString() is "succeeded" or "partial" or "failed" or "cancelled"));
        Assert.All(runs.Take(runs.Count - runsBefore), r => Assert.Equal("notification", r.GetProperty("trigger").GetString()));
    }

    private static string Sign(string secret, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>
    /// Amazon's ORDER_CHANGE notifications, as a forwarder puts them on the service's queue (SP-API's destination is an
    /// SQS queue): each is routed by its SellerId to the connections of that seller; a malformed message, another type
    /// and an unknown seller start nothing; with 5 % dropped, 10 % late and 20 % twice, every change is stored.
    /// </summary>
    [Fact]
    public async Task Amazon_order_changes_from_the_notification_queue_start_incremental_runs_that_store_every_change()
    {
        // The default AmazonVisibilityDelay (2 min 10 s) stays: a run that reads the named orders by getOrder starts at once.
        // The changes are made three minutes in the past, so that the sweep's searchOrders lists them.
        await using var host = new HostApp(storage, "notifyamzn", new Dictionary<string, string?>
        {
            ["Scheduler:EnabledByDefault"] = "false",
            ["Sync:OverlapWindow"] = "00:00:01",
        });
        var client = host.Client();
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-notify-amazon", "amazon", "A2NOTIFYSELLER", new SimStoreConfig { Orders = 300, Products = 40, Customers = 20, Seed = 96 });
        var full = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        Assert.Equal("succeeded", (await client.WaitForRunAsync(full.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        var runsBefore = (await RunsAsync(client, connectionId)).Count;

        var queue = new Azure.Storage.Queues.QueueClient(storage.ConnectionString, host.Settings["Storage:TablePrefix"] + "amazonnotifications",
            new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        // An ORDER_CHANGE of a seller no connection syncs (the envelope's shape: contracts/amazon/OrderChangeNotification.json).
        var example = $$$"""
            {"NotificationVersion": "1.0", "NotificationType": "ORDER_CHANGE", "PayloadVersion": "1.0", "EventTime": "2026-12-07T08:00:00.000Z",
             "Payload": {"OrderChangeNotification": {"NotificationLevel": "OrderLevel", "SellerId": "A9UNKNOWNSELLER", "AmazonOrderId": "{{{SimCatalog.AmazonOrderId(3)}}}"}},
             "NotificationMetadata": {"ApplicationId": "app-id", "SubscriptionId": "subscription-id", "PublishTime": "2026-12-07T08:00:00.000Z", "NotificationId": "{{{Guid.NewGuid()}}}"}}
            """;
        foreach (var message in new[] { "not json", example.Replace("ORDER_CHANGE", "REPORT_PROCESSING_FINISHED", StringComparison.Ordinal), example })
        {
            await queue.SendMessageAsync(message);
        }

        await Eventually.WaitForAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount, count => count == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(runsBefore, (await RunsAsync(client, connectionId)).Count);

        var requestsSince = simulator.State.Time.GetUtcNow();
        store.Subscription = new SimSubscription("", "", storage.ConnectionString, queue.Name);
        simulator.State.Faults = new SimFaults { NotificationDropShare = 0.05, NotificationDelayShare = 0.10, NotificationDelayMs = 1_500, NotificationDuplicateShare = 0.20, Seed = 12 };
        try
        {
            var changed = store.Mutate(SimKind.Orders, 30, DateTimeOffset.UtcNow.AddMinutes(-3)).Select(index => (SimKind.Orders, index)).ToList();
            var notifiedChanges = changed.Except(Dropped(store)).ToList();
            var stored = host.Services.GetRequiredService<IStoredRecords>();
            try
            {
                await Eventually.WaitForAsync(() => StoredAsync(stored, connectionId, store, notifiedChanges), all => all, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
            }
            catch (Exception)
            {
                Assert.Fail("not stored; notifications: " + string.Join(", ", simulator.State.Notifier.Attempts.Where(a => a.Url == queue.Name).GroupBy(a => a.Status).Select(g => $"{g.Key} x{g.Count()}"))
                    + "; runs: " + string.Join("\n", (await RunsAsync(client, connectionId)).Select(r => $"{r.GetProperty("trigger")} {r.GetProperty("status")} {r.GetProperty("counters")}")));
            }
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
            store.Subscription = null;
        }

        var runs = await Eventually.WaitForAsync(() => RunsAsync(client, connectionId), all => all.All(r => r.GetProperty("status").GetString() is "succeeded" or "partial" or "failed" or "cancelled"));
        var notified = runs.Where(r => r.GetProperty("trigger").GetString() == "notification").ToList();
        Assert.Equal(runs.Count - runsBefore, notified.Count);
        Assert.InRange(notified.Count, 1, 15);
        Assert.All(notified, r => Assert.Equal(["orders"], r.GetProperty("entityTypes").EnumerateArray().Select(t => t.GetString())));
        Assert.All(notified, r => Assert.InRange(r.GetProperty("entities")[0].GetProperty("targeted").GetInt32(), 1, 30));
        // By getOrder only: searchOrders waits for the sweep.
        var reads = simulator.State.Requests.Where(r => r.At >= requestsSince && r.StoreId == "A2NOTIFYSELLER").ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.Matches(@"/orders/2026-01-01/orders/[0-9-]+\?includedData=PROCEEDS,FULFILLMENT$", r.Path));

        // What a lost notification named, the sweep's searchOrders stores.
        await SweepAsync(client, connectionId);
        Assert.True(await ExactAsync(host.Services.GetRequiredService<IRecordQuery>(), connectionId, store, [EntityType.Orders]));
    }

    private List<(SimKind Kind, int Index)> Dropped(SimStore store) =>
        [.. simulator.State.Notifier.Dropped.Where(d => d.StoreId == store.StoreId).Select(d => (d.Kind, d.Index))];

    /// <summary>Whether each change is stored in its current version (or a later one).</summary>
    private static async Task<bool> StoredAsync(IStoredRecords records, string connectionId, SimStore store, IReadOnlyList<(SimKind Kind, int Index)> changes)
    {
        foreach (var (kind, index) in changes)
        {
            var (type, id) = kind switch
            {
                SimKind.Orders => (EntityType.Orders, store.Marketplace == "amazon" ? SimCatalog.AmazonOrderId(index) : SimCatalog.OrderId(index).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                SimKind.Products => (EntityType.Products, SimCatalog.ProductId(index).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => (EntityType.Customers, SimCatalog.CustomerId(index).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            if (await records.GetAsync(connectionId, type, id, CancellationToken.None) is not { } stored || stored.Record.UpdatedAt < store.Current(kind, index).UpdatedAt)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The schedule's sweep, as one incremental run of every feed from its mark, to its end.</summary>
    private static async Task SweepAsync(HttpClient client, string connectionId)
    {
        var sweep = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "incremental" })).ReadJsonAsync();
        Assert.Equal("succeeded", (await client.WaitForRunAsync(sweep.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
    }

    /// <summary>Each feed's high-water mark, as the connection view shows it.</summary>
    private static async Task<string> MarksAsync(HttpClient client, string connectionId)
    {
        var view = await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync();
        return string.Join(";", view.GetProperty("cursors").EnumerateArray().Select(c => $"{c.GetProperty("entityType")}={(c.TryGetProperty("highWaterMark", out var m) ? m.ToString() : "")}"));
    }

    private static async Task<bool> ExactAsync(IRecordQuery records, string connectionId, SimStore store, EntityType[]? types = null)
    {
        foreach (var type in types ?? [EntityType.Orders, EntityType.Products, EntityType.Customers])
        {
            var stored = new Dictionary<string, StoredRecord>();
            await foreach (var row in records.ListAsync(connectionId, type, CancellationToken.None))
            {
                stored[row.Record.ExternalId] = row;
            }

            try
            {
                Expected.Matches(Expected.For(store, type), stored, type.ToWire());
            }
            catch (Xunit.Sdk.XunitException)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<List<JsonElement>> RunsAsync(HttpClient client, string connectionId)
    {
        var page = await (await client.GetAsync($"/api/connections/{connectionId}/runs?pageSize=100")).ReadJsonAsync();
        return [.. page.GetProperty("runs").EnumerateArray()];
    }
}

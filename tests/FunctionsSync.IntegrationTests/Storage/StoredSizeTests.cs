using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>
/// Limits measured on what is stored, not on what is received: values that JSON escapes six times over ('&lt;', '‹')
/// or that exceed one table property are stored across properties; what cannot fit a row is a 400 naming the field
/// that changed nothing; a synced record too large for one property is stored whole.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StoredSizeTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private static Dictionary<string, string> Settings(int count, string text) =>
        Enumerable.Range(0, count).ToDictionary(i => $"s{i}", _ => text);

    [Fact]
    public async Task Values_within_the_documented_limits_are_stored_whatever_their_characters_and_what_cannot_fit_is_a_400_that_writes_nothing()
    {
        await using var host = new HostApp(storage, "storedsize");
        var client = host.Client();
        var registrations = new (string Store, Dictionary<string, string> Settings, Dictionary<string, string> Credentials)[]
        {
            // Each was a 500 (PropertyValueTooLarge) when measured on the raw body.
            ("size-ascii", Settings(10, new string('a', 4_000)), new() { ["accessToken"] = "shpat_x" }),
            ("size-guillemet-settings", Settings(3, new string('‹', 4_000)), new() { ["accessToken"] = "shpat_x" }),
            ("size-guillemet-credentials", [], new Dictionary<string, string>(Enumerable.Range(0, 3).ToDictionary(i => $"c{i}", _ => new string('‹', 4_000))) { ["accessToken"] = "shpat_x" }),
        };
        foreach (var (store, settings, credentials) in registrations)
        {
            var response = await client.PostJsonAsync("/api/connections", new { organizationId = "org-size", marketplace = "shopify", externalStoreId = store, name = store, credentials, settings });
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{store}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var id = (await response.ReadJsonAsync()).GetProperty("connectionId").GetString()!;
            var read = await (await client.GetAsync($"/api/connections/{id}")).ReadJsonAsync();
            Assert.Equal(settings.Count + 0, read.GetProperty("settings").EnumerateObject().Count(p => p.Name.StartsWith('s')));
        }

        // 50 settings of 4,096 '<': allowed one by one, 1.2 million characters escaped: no row holds that.
        var tally = StorageRequestCounter.BeginTally();
        var refused = await client.PostRawAsync("/api/connections", JsonSerializer.Serialize(new
        {
            organizationId = "org-size-refused", marketplace = "shopify", externalStoreId = "size-refused", name = "refused",
            credentials = new Dictionary<string, string> { ["accessToken"] = "shpat_x" }, settings = Settings(50, new string('<', 4_096)),
        }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("settings", out _));
        Assert.Equal(0, tally.Writes);
        Assert.Equal(0, (await (await client.GetAsync("/api/connections?organizationId=org-size-refused")).ReadJsonAsync()).GetProperty("connections").GetArrayLength());
    }

    [Fact]
    public async Task A_record_edit_and_a_synced_record_larger_than_one_property_are_stored_whole()
    {
        await using var host = new HostApp(storage, "storedrecord");
        var client = host.Client();
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-size", "woocommerce", "size-records", new SimStoreConfig { Orders = 20, Products = 5, Customers = 5, Seed = 91 });
        var run = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        Assert.Equal("succeeded", (await client.WaitForRunAsync(run.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());

        // Sent as a client may (unescaped): 6,400 characters received were 38,400 stored, past one property (a 500 once).
        var orderId = SimCatalog.OrderId(3).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var raw = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var (heavy, length) in new[] { ('<', 6_400), ('é', 6_400), ('<', 29_000) })
        {
            var record = JsonNode.Parse((await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{orderId}")).ReadJsonAsync()).GetProperty("record").GetRawText())!.AsObject();
            record["status"] = new string(heavy, length);
            var put = await client.PutAsync($"/api/connections/{connectionId}/records/orders/{orderId}", new StringContent(record.ToJsonString(raw), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(put.StatusCode == HttpStatusCode.OK, $"{heavy} ×{length}: {put.StatusCode} {await put.Content.ReadAsStringAsync()}");
            var back = await (await client.GetAsync($"/api/connections/{connectionId}/records/orders/{orderId}")).ReadJsonAsync();
            Assert.Equal(new string(heavy, length), back.GetProperty("record").GetProperty("status").GetString());
        }

        // The next sync reads the record again: the stored row (over several properties) is read whole.
        var again = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId } })).ReadJsonAsync();
        var second = await client.WaitForRunAsync(again.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        Assert.True(second.GetProperty("status").GetString() == "succeeded", second.ToString());
    }

    /// <summary>A record larger than a property, in a page of records as large: stored whole, batched by size (a transaction carries 4 MiB at most), never a failed page.</summary>
    [Fact]
    public async Task Records_larger_than_one_property_are_stored_whole_in_transactions_that_fit()
    {
        await using var harness = new SyncHarness(storage, simulator, "storedingest");
        var ingestion = harness.Services.GetRequiredService<IIngestionDispatcher>();
        var records = Enumerable.Range(0, 60)
            .Select(i => new OrderRecord { ExternalId = $"big-{i}", UpdatedAt = DateTimeOffset.UnixEpoch.AddDays(i), Status = i % 2 == 0 ? new string('<', 20_000) : string.Concat(Enumerable.Repeat("😀", 10_000)), Currency = "EUR", Total = i })
            .ToList<CanonicalRecord>();
        var result = await ingestion.IngestAsync(new IngestContext("c-storedingest" + TestRun.Suffix, "run-1", 1, EntityType.Orders, Core.Runs.SyncMode.Full), records, CancellationToken.None);
        Assert.Equal((60, 0), (result.Created, result.Failed));
        var stored = (await harness.SnapshotAsync("c-storedingest" + TestRun.Suffix))[EntityType.Orders];
        Assert.Equal(60, stored.Count);
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 10_000)), ((OrderRecord)stored["big-7"].Record).Status);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// A stored record as the API shows it (its own fields, no storage discriminator) and changed locally with a JSON merge
/// patch (RFC 7396, <c>application/merge-patch+json</c>): only the members named change, <c>null</c> removes one, and a
/// patch that would not leave a valid record is refused and changes nothing.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RecordEditTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_merge_patch_changes_only_what_it_names_and_a_bad_one_changes_nothing()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("recpatch"));
        var client = host.Client();
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(simulator, "org-recpatch", "woocommerce", "rec-patch", new SimStoreConfig { Orders = 30, Products = 5, Customers = 5, Seed = 71 });
        var full = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        await client.WaitForRunAsync(full.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        var path = $"/api/connections/{connectionId}/records/orders/{SimCatalog.OrderId(4)}";
        var before = (await (await client.GetAsync(path)).ReadJsonAsync()).GetProperty("record");
        Assert.False(before.TryGetProperty("$type", out _));
        Assert.Equal(JsonValueKind.String, before.GetProperty("customerExternalId").ValueKind);

        // The status changes and the customer link goes; the lines, total and currency stay as they were.
        using var patched = await client.PatchAsync(path, Patch("""{"status": "on-hold", "customerExternalId": null}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var after = await patched.ReadJsonAsync();
        var record = after.GetProperty("record");
        Assert.True(after.GetProperty("changedLocally").GetBoolean());
        Assert.Equal("on-hold", record.GetProperty("status").GetString());
        Assert.True(!record.TryGetProperty("customerExternalId", out var customer) || customer.ValueKind == JsonValueKind.Null, record.ToString());
        Assert.False(record.TryGetProperty("$type", out _));
        foreach (var kept in new[] { "lines", "total", "currency", "orderNumber" })
        {
            Assert.Equal(before.GetProperty(kept).GetRawText(), record.GetProperty(kept).GetRawText());
        }

        // Refused, each with a problem, and the record as the good patch left it.
        var stored = (await (await client.GetAsync(path)).ReadJsonAsync()).GetProperty("record").GetRawText();
        foreach (var (body, contentType, status) in new[]
        {
            ("""{"colour": "blue"}""", "application/merge-patch+json", HttpStatusCode.BadRequest),
            ("""{"total": "a lot"}""", "application/merge-patch+json", HttpStatusCode.BadRequest),
            ("[1]", "application/merge-patch+json", HttpStatusCode.BadRequest),
            ("""{"status": "a", "status": "b"}""", "application/merge-patch+json", HttpStatusCode.BadRequest),
            ("status=a", "text/plain", HttpStatusCode.UnsupportedMediaType),
        })
        {
            using var refused = await client.PatchAsync(path, new StringContent(body, Encoding.UTF8, contentType));
            Assert.Equal(status, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(stored, (await (await client.GetAsync(path)).ReadJsonAsync()).GetProperty("record").GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsync($"/api/connections/{connectionId}/records/orders/1", Patch("""{"status": "on-hold"}"""))).StatusCode);

        // The marketplace changes it too: the conflict's marketplace version has no discriminator either.
        store.MutateAt(SimKind.Orders, [4], DateTimeOffset.UtcNow);
        var incremental = await (await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId } })).ReadJsonAsync();
        await client.WaitForRunAsync(incremental.GetProperty("runs")[0].GetProperty("runId").GetString()!, TimeSpan.FromSeconds(60));
        var conflict = (await (await client.GetAsync($"/api/conflicts?connectionId={connectionId}")).ReadJsonAsync()).GetProperty("conflicts")[0];
        Assert.Equal("data_mismatch", conflict.GetProperty("type").GetString());
        Assert.False(conflict.GetProperty("source").TryGetProperty("$type", out _));
        Assert.Equal(SimCatalog.OrderId(4).ToString(System.Globalization.CultureInfo.InvariantCulture), conflict.GetProperty("source").GetProperty("externalId").GetString());
        Assert.Equal(["accept_source", "keep_target", "retry", "skip"], conflict.GetProperty("resolutions").EnumerateArray().Select(r => r.GetString()));
    }

    private static StringContent Patch(string body) => new(body, Encoding.UTF8, "application/merge-patch+json");
}

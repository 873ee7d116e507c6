using System.Net;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary><c>GET /api/events</c> across two replicas on one storage account: replica A runs the syncs, clients watch replica B.</summary>
[Collection(QuietCollection.Name)]
public sealed class LiveEventTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Sync:PageSize"] = "100",
        ["Events:PollInterval"] = "00:00:00.100",
        ["Events:ProgressInterval"] = "00:00:00",
    };

    private object Registration(string organizationId, string storeId) => new
    {
        organizationId,
        marketplace = "shopify",
        externalStoreId = storeId,
        name = storeId,
        credentials = SyncHarness.CredentialsFor("shopify", storeId),
        settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("shopify", storeId) },
    };

    private async Task<string> RegisterAndTriggerAsync(HttpClient client, string organizationId, string storeId)
    {
        simulator.State.PutStore("shopify", storeId, new SimStoreConfig { Orders = 900, Products = 100, Customers = 50, Seed = 31, Credentials = SyncHarness.CredentialsFor("shopify", storeId) });
        var id = (await (await client.PostJsonAsync("/api/connections", Registration(organizationId, storeId))).ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var trigger = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { id }, mode = "full" });
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        return (await trigger.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
    }

    private static bool Finished(SseMessage m, string runId) => m.Event == "run.finished" && m.Body.GetProperty("runId").GetString() == runId;

    [Fact]
    public async Task A_client_of_replica_B_sees_replica_As_runs_in_order_resumes_exactly_and_sees_only_its_organization()
    {
        await using var a = new HostApp(storage, "sse", Fast);
        await using var b = new HostApp(storage, "sse", new Dictionary<string, string?>(Fast) { ["Workers:Count"] = "0" });
        var admin = a.Client();
        var orgKey = (await (await admin.PostJsonAsync("/api/admin/keys", new { organizationId = "org-sse-a" })).ReadJsonAsync()).GetProperty("key").GetString()!;

        await using var all = await SseReader.OpenAsync(b.Client());
        await using var mine = await SseReader.OpenAsync(b.Client(orgKey));
        Assert.Equal("text/event-stream", all.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ready", (await all.NextAsync()).Event);
        Assert.Equal("ready", (await mine.NextAsync()).Event);

        var runA = await RegisterAndTriggerAsync(admin, "org-sse-a", "sse-a");
        var runB = await RegisterAndTriggerAsync(admin, "org-sse-b", "sse-b");

        // Everything, until both runs ended.
        var seen = new List<SseMessage>();
        var ended = new HashSet<string>();
        while (ended.Count < 2)
        {
            var m = await all.NextAsync(TimeSpan.FromSeconds(60));
            seen.Add(m);
            if (m.Event == "run.finished")
            {
                ended.Add(m.Body.GetProperty("runId").GetString()!);
            }
        }

        Assert.Equal(new HashSet<string> { runA, runB }, ended);
        var ofRunA = seen.Where(m => m.Event.StartsWith("run.") && m.Body.GetProperty("runId").GetString() == runA).ToList();
        var types = ofRunA.Select(m => m.Event).ToList();
        Assert.Equal("run.queued", types[0]);
        Assert.Equal("run.started", types[1]);
        Assert.Equal("run.finished", types[^1]);
        Assert.True(types.Count(t => t == "run.progress") >= 3, string.Join(" ", types));
        Assert.All(types.Skip(2).SkipLast(1), t => Assert.Equal("run.progress", t));
        var percents = ofRunA.Select(m => m.Body.GetProperty("percentComplete").GetDouble()).ToList();
        Assert.Equal(percents.Order(), percents);
        Assert.Equal(100, percents[^1]);
        Assert.Equal("succeeded", ofRunA[^1].Body.GetProperty("status").GetString());
        // Positions only move forward and name each event once.
        Assert.Equal(seen.Select(m => m.Id).Order(StringComparer.Ordinal), seen.Select(m => m.Id));
        Assert.Equal(seen.Count, seen.Select(m => m.EventId).Distinct().Count());

        // The organization key's stream: its organization's events, all of them, nothing of the other's.
        var own = await mine.UntilAsync(m => Finished(m, runA));
        Assert.All(own, m => Assert.Equal("org-sse-a", m.Organization));
        Assert.Equal(seen.Where(m => m.Organization == "org-sse-a").Select(m => m.EventId).TakeWhile(id => id != own[^1].EventId).Append(own[^1].EventId), own.Select(m => m.EventId));
        Assert.Contains(seen, m => m.Organization == "org-sse-b");

        // Reconnecting after the started event of run A: exactly what came after it, in the same order.
        var resumeAt = ofRunA[1].Id!;
        var missed = seen.SkipWhile(m => m.Id != resumeAt).Skip(1).ToList();
        await using (var again = await SseReader.OpenAsync(b.Client(), lastEventId: resumeAt))
        {
            Assert.Equal("ready", (await again.NextAsync()).Event);
            var replayed = new List<SseMessage>();
            while (replayed.Count < missed.Count)
            {
                replayed.Add(await again.NextAsync());
            }

            Assert.Equal(missed.Select(m => m.EventId), replayed.Select(m => m.EventId));
        }

        // An organization key may not ask for another organization's stream; a made-up position is refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await b.Client(orgKey).GetAsync("/api/events?organizationId=org-sse-b")).StatusCode);
        var bad = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        bad.Headers.Add("Last-Event-ID", "yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, (await b.Client().SendAsync(bad)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.Client(null).GetAsync("/api/events")).StatusCode);
    }
}

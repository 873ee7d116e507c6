using System.Net;
using FunctionsSync.Core.Events;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>
    /// 25 streams on a quiet organization, resumed from a day-old id, held for ten simulated minutes: the storage
    /// requests per poll stay flat and small (one or two hour partitions a read), not the day's 24 partitions each time.
    /// </summary>
    [Fact]
    public async Task Quiet_streams_resumed_from_a_day_old_id_cost_the_same_per_poll_after_ten_simulated_minutes()
    {
        var clock = new OffsetClock();
        await using var host = new HostApp(storage, "ssequiet", new Dictionary<string, string?>(Fast)
        {
            ["Workers:Count"] = "0",
            ["Events:MaxStreamsPerKey"] = "50",
        })
        {
            Clock = clock,
        };
        var admin = host.Client();
        var dayOld = LiveEventIds.At(clock.GetUtcNow().AddDays(-1).AddMinutes(10));
        var streams = new List<SseReader>();
        try
        {
            for (var i = 0; i < 25; i++)
            {
                var stream = await SseReader.OpenAsync(host.Client(), "/api/events?organizationId=org-quiet", lastEventId: dayOld);
                Assert.Equal("ready", (await stream.NextAsync()).Event);
                streams.Add(stream);
            }

            var feed = host.Services.GetRequiredService<LiveEventFeed>();
            var counter = host.Services.GetRequiredService<StorageRequestCounter>();
            var first = await PerPollAsync(feed, counter, polls: 500);
            for (var minute = 0; minute < 10; minute++)
            {
                clock.Advance(TimeSpan.FromMinutes(1));
                await PerPollAsync(feed, counter, polls: 50);
            }

            var after = await PerPollAsync(feed, counter, polls: 500);
            Assert.True(first <= 3, $"{first:0.00} storage requests a poll at first");
            Assert.True(after <= (first * 1.25) + 0.25, $"{first:0.00} storage requests a poll at first, {after:0.00} ten simulated minutes later");
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>Storage requests of the whole process per stream poll, over the next <paramref name="polls"/> polls.</summary>
    private static async Task<double> PerPollAsync(LiveEventFeed feed, StorageRequestCounter counter, int polls)
    {
        var (polled, requested) = (feed.Polls, counter.Count);
        await Eventually.WaitForAsync(() => Task.FromResult(feed.Polls), n => n >= polled + polls, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
        return (counter.Count - requested) / (double)(feed.Polls - polled);
    }

    /// <summary>
    /// A key revoked while its stream is open: the stream says so and ends within <c>Events:KeyCheckInterval</c>, and
    /// the organization's next run reaches it no more; a key holding its maximum of streams is refused another (429).
    /// </summary>
    [Fact]
    public async Task A_revoked_keys_stream_ends_within_the_check_interval_and_a_key_holds_a_bounded_number_of_streams()
    {
        await using var host = new HostApp(storage, "ssekey", new Dictionary<string, string?>(Fast)
        {
            ["Events:KeyCheckInterval"] = "00:00:00.300",
            ["Events:MaxStreamsPerKey"] = "2",
        });
        var admin = host.Client();
        var issued = await (await admin.PostJsonAsync("/api/admin/keys", new { organizationId = "org-sse-key" })).ReadJsonAsync();
        var orgKey = issued.GetProperty("key").GetString()!;
        var keyId = issued.GetProperty("id").GetString()!;

        await using var first = await SseReader.OpenAsync(host.Client(orgKey));
        await using var second = await SseReader.OpenAsync(host.Client(orgKey));
        Assert.Equal("ready", (await first.NextAsync()).Event);
        Assert.Equal("ready", (await second.NextAsync()).Event);
        using (var third = await host.Client(orgKey).GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/keys/{keyId}")).StatusCode);
        var revoked = await first.UntilAsync(m => m.Event == "revoked", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(revoked, m => m.Event.StartsWith("run.", StringComparison.Ordinal));
        var ended = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => first.NextAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("the stream ended", ended.Message);

        // The organization's run goes on without it: the admin's stream sees it end, the revoked one saw nothing.
        await using var watcher = await SseReader.OpenAsync(admin);
        Assert.Equal("ready", (await watcher.NextAsync()).Event);
        var runId = await RegisterAndTriggerAsync(admin, "org-sse-key", "sse-key");
        await watcher.UntilAsync(m => Finished(m, runId), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(orgKey).GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead)).StatusCode);
    }

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

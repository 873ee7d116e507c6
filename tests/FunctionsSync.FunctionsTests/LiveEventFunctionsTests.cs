using FunctionsSync.Core.Orchestration;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Functions.Http;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.FunctionsTests;

/// <summary>The Functions app's <c>GET /api/events</c>: each answer is the events after the client's position, then the response ends.</summary>
[Collection(FunctionsCollection.Name)]
public sealed class LiveEventFunctionsTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_run_on_the_Durable_engine_is_told_in_order_and_Last_Event_ID_gives_exactly_what_came_after()
    {
        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fevents", new Dictionary<string, string?>
        {
            ["Sync:PageSize"] = "100",
            ["Events:ProgressInterval"] = "00:00:00",
        });
        var (connection, _) = await app.AddStoreAsync("shopify", "fevents-shopify", new SimStoreConfig { Orders = 600, Products = 50, Customers = 20, Seed = 35 });

        // Before anything happens: a ready event whose id is the position to come back with.
        var first = await app.ApiAsync("GET", "/api/events");
        Assert.Equal(200, first.Status);
        Assert.StartsWith("text/event-stream", first.ContentType);
        var ready = Assert.Single(Sse.Parse(first.Text));
        Assert.Equal("ready", ready.Event);

        var trigger = await app.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id }, mode = "full" });
        var runId = trigger.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        var instance = await app.Client.WaitForInstanceCompletionAsync(SyncActivities.InstanceIdFor(runId), CancellationToken.None);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);

        // The events are written by a background writer: ask again (as EventSource does) until the run's end is there.
        var all = await Eventually.WaitForAsync(
            async () => Sse.Parse((await app.ApiAsync("GET", $"/api/events?lastEventId={ready.Id}")).Text).Skip(1).ToList(),
            list => list.Any(m => m.Event == "run.finished"));
        var ofRun = all.Where(m => m.Body.GetProperty("runId").GetString() == runId).Select(m => m.Event).ToList();
        Assert.Equal(["run.queued", "run.started"], ofRun.Take(2));
        Assert.Equal("run.finished", ofRun[^1]);
        Assert.Contains("run.progress", ofRun);
        Assert.Equal("succeeded", all.Last(m => m.Event == "run.finished").Body.GetProperty("status").GetString());

        var after = all[1].Id;
        var rest = Sse.Parse((await app.ApiAsync("GET", $"/api/events?lastEventId={after}")).Text).Skip(1).ToList();
        Assert.Equal(all.Skip(2).Select(m => m.EventId), rest.Select(m => m.EventId));

        Assert.Equal(400, (await app.ApiAsync("GET", "/api/events?lastEventId=nope")).Status);
        Assert.Equal(401, (await app.ApiAsync("GET", "/api/events", key: null)).Status);
    }
}

/// <summary>A finite event stream read as EventSource reads one.</summary>
public static class Sse
{
    public static List<SseMessage> Parse(string text)
    {
        var list = new List<SseMessage>();
        foreach (var block in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? id = null, type = null;
            var data = new List<string>();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line[6..]);
            }

            if (type is not null)
            {
                list.Add(new SseMessage(id, type, string.Join("\n", data)));
            }
        }

        return list;
    }
}

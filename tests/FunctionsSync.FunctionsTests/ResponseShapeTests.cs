using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.FunctionsTests;

/// <summary>
/// One client script, run against the self-hosted runtime (TestServer) and the Functions app (its HTTP triggers
/// invoked as the Functions host routes them), over every route of the table: each step must answer the same status
/// and the same JSON shape on both hosts. A route or payload that drifts on one host fails here.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed partial class ResponseShapeTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string Organization = "org-shape";

    private Dictionary<string, string?> Aligned => new()
    {
        ["Scheduler:EnabledByDefault"] = "false",
        ["Sync:PageSize"] = "250",
        ["Conflicts:RetryDelay"] = "01:00:00",
        // The Functions app dispatches lost outbox signals on its maintenance pass, which the script runs itself.
        ["Webhooks:SweepAfter"] = "00:00:00",
        ["Receipts:ValidatorUrl"] = simulator.BaseUrl + "/mock/{marketplace}/validate",
        ["Receipts:ValidatorUser"] = "simulator",
        ["Receipts:ValidatorPassword"] = "simulator",
    };

    private delegate Task<HttpAnswer> Send(string method, string path, object? body = null, bool authenticated = true, string contentType = "application/json");

    [Fact]
    public async Task Every_route_answers_the_same_status_and_shape_on_both_hosts()
    {
        await using var host = new HostApp(storage, "shapeself" + Guid.NewGuid().ToString("N")[..6], Aligned);
        using var client = host.CreateClient();
        var selfHosted = await RunScriptAsync("self", Through(client));

        await using var app = await FunctionsApp.StartAsync(storage, simulator, "shapefn", Aligned);
        var router = new FunctionsRouter(app);
        var functions = await RunScriptAsync(
            "func",
            (method, path, body, authenticated, contentType) => router.SendAsync(method, path, body, authenticated ? FunctionsApp.AdminKey : null, contentType),
            () => app.Services.GetRequiredService<WebhookDispatcher>().SweepAsync(CancellationToken.None));

        Assert.Equal(ApiRoutes.All.OrderBy(r => r.Name).ThenBy(r => r.Verb), router.Matched.OrderBy(r => r.Name).ThenBy(r => r.Verb));
        Assert.Equal(selfHosted.Select(s => s.Step), functions.Select(s => s.Step));
        var differences = selfHosted.Zip(functions)
            .SelectMany(pair => (pair.First.Status == pair.Second.Status
                    ? JsonShape.Differences(pair.First.Answer.Body, pair.Second.Answer.Body)
                    : [$"status {pair.First.Status} vs {pair.Second.Status}"])
                .Concat(pair.First.Answer.ContentType == pair.Second.Answer.ContentType ? [] : [$"content type {pair.First.Answer.ContentType} vs {pair.Second.Answer.ContentType}"])
                .Select(d => $"{pair.First.Step}: {d}"))
            .ToList();
        Assert.True(differences.Count == 0, "self-hosted vs Functions:\n" + string.Join("\n", differences));

        // And on both: no 5xx, and every refusal is a problem body.
        foreach (var (step, status, answer, _, _) in selfHosted.Concat(functions))
        {
            Assert.True(status < 500, $"{step}: {status}");
            if (status >= 400)
            {
                Assert.True(answer.ContentType == "application/problem+json" && answer.Body?.GetProperty("status").GetInt32() == status, $"{step}: {status} without a problem body");
            }
        }

        // And on both: every JSON answer of a route fits the schema the OpenAPI document gives its status.
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var misfits = new List<string>();
        var checkedAnswers = 0;
        foreach (var (which, steps) in new[] { ("self-hosted", selfHosted), ("Functions", functions) })
        {
            foreach (var (step, status, answer, method, path) in steps)
            {
                if (answer.Body is not { } body || answer.ContentType is not ("application/json" or "application/problem+json")
                    || !ApiRouteMatcher.TryMatch(method, new Microsoft.AspNetCore.Http.PathString(Uri.UnescapeDataString(path.Split('?')[0]["/api".Length..])), out var route, out _))
                {
                    continue;
                }

                checkedAnswers++;
                if (OpenApiSchemas.For(document, route!.Name, status) is not { } schema)
                {
                    misfits.Add($"{which} {step}: {route.Name} answered {status}, which the document does not declare");
                }
                else if (OpenApiSchemas.Misfits(schema, body) is { Count: > 0 } found)
                {
                    misfits.Add($"{which} {step} ({status}): {string.Join("; ", found)}");
                }
            }
        }

        Assert.True(misfits.Count == 0, "answers that do not fit the document:\n" + string.Join("\n", misfits));
        Assert.True(checkedAnswers > 2 * 40, $"only {checkedAnswers} answers checked");

        // The full run just ended is in the history across connections, on both hosts.
        foreach (var steps in new[] { selfHosted, functions })
        {
            var ended = steps.Single(s => s.Step == "ended runs by status").Answer.Body!.Value.GetProperty("runs");
            Assert.Contains(ended.EnumerateArray(), r => r.GetProperty("mode").GetString() == "full" && r.GetProperty("status").GetString() == "succeeded");
            Assert.Equal(400, steps.Single(s => s.Step == "ended runs of a status in flight").Status);
        }

        Assert.Equal(415, selfHosted.Single(s => s.Step == "not JSON").Status);
        Assert.Equal(413, selfHosted.Single(s => s.Step == "too large").Status);
    }

    /// <summary>Sends a step of the script with <paramref name="client"/> (the admin key when authenticated).</summary>
    private static Send Through(HttpClient client) => async (method, path, body, authenticated, contentType) =>
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authenticated)
        {
            request.Headers.Add("X-Api-Key", HostApp.AdminKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, HostApp.Json), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone());
    };

    /// <summary>The script: every route, with the data a client would have (a synced store, a conflict, a webhook).</summary>
    /// <param name="settle">What the host does in the background that the script waits on (null: the host does it itself).</param>
    private async Task<List<(string Step, int Status, HttpAnswer Answer, string Method, string Path)>> RunScriptAsync(string tag, Send send, Func<Task>? settle = null)
    {
        var steps = new List<(string Step, int Status, HttpAnswer Answer, string Method, string Path)>();
        async Task<JsonElement?> Step(string name, string method, string path, object? body = null, bool authenticated = true, string contentType = "application/json")
        {
            var answer = await send(method, path, body, authenticated, contentType);
            steps.Add((name, answer.Status, answer, method, path));
            return answer.Body;
        }

        async Task WaitForRunAsync(string runId) => await Eventually.WaitForAsync(
            async () => (await send("GET", $"/api/runs/{runId}")).Json.GetProperty("status").GetString(),
            status => status is "succeeded" or "partial" or "failed" or "cancelled", TimeSpan.FromMinutes(2));

        var storeId = $"shape-{tag}-{Guid.NewGuid():N}"[..24];
        var credentials = new Dictionary<string, string> { ["consumerKey"] = $"ck_{storeId}", ["consumerSecret"] = $"cs_{storeId}" };
        var store = simulator.State.PutStore("woocommerce", storeId, new SimStoreConfig { Orders = 40, Products = 10, Customers = 5, Seed = 41, Credentials = credentials });

        await Step("health", "GET", "/api/health");
        await Step("health head", "HEAD", "/api/health");
        await Step("no such route", "GET", "/api/no/such/route");
        await Step("wrong verb", "DELETE", "/api/sync/status");
        await Step("unauthenticated", "GET", "/api/connections", authenticated: false);
        var keyId = (await Step("issue key", "POST", "/api/admin/keys", new { organizationId = Organization }))!.Value.GetProperty("id").GetString()!;
        await Step("list keys", "GET", $"/api/admin/keys?organizationId={Organization}");
        await Step("revoke key", "DELETE", $"/api/admin/keys/{keyId}");
        await Step("revoke missing key", "DELETE", "/api/admin/keys/knosuchkey");
        var registered = (await Step("register", "POST", "/api/connections", new
        {
            organizationId = Organization, marketplace = "woocommerce", externalStoreId = storeId, name = storeId, credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("woocommerce", storeId) },
        }))!.Value;
        var connectionId = registered.GetProperty("connectionId").GetString()!;
        var syncToken = registered.GetProperty("syncToken").GetString()!;
        await Step("list connections", "GET", $"/api/connections?organizationId={Organization}");
        await Step("get connection", "GET", $"/api/connections/{connectionId}");
        await Step("patch connection", "PATCH", $"/api/connections/{connectionId}", new { name = "renamed" });
        await Step("bad patch", "PATCH", $"/api/connections/{connectionId}", "{\"name\": 5}");

        var triggered = (await Step("trigger", "POST", "/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" }))!.Value;
        var runId = triggered.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await WaitForRunAsync(runId);
        await Step("get run", "GET", $"/api/runs/{runId}");
        await Step("runs by status", "GET", $"/api/runs?status=succeeded&organizationId={Organization}");
        await Step("runs by unknown status", "GET", "/api/runs?status=sleeping");
        await Step("ended runs", "GET", $"/api/run-history?organizationId={Organization}&pageSize=1");
        await Step("ended runs by status", "GET", $"/api/run-history?status=succeeded&organizationId={Organization}");
        await Step("ended runs of a status in flight", "GET", "/api/run-history?status=running");
        await Step("pause finished run", "POST", $"/api/runs/{runId}/pause");
        await Step("resume finished run", "POST", $"/api/runs/{runId}/resume");
        await Step("cancel finished run", "POST", $"/api/runs/{runId}/cancel");
        await Step("connection status", "GET", $"/api/connections/{connectionId}/status");
        await Step("activity", "GET", $"/api/connections/{connectionId}/activity?take=5");
        await Step("run history", "GET", $"/api/connections/{connectionId}/runs?pageSize=1");
        await Step("run history bad token", "GET", $"/api/connections/{connectionId}/runs?continuationToken=nope");
        await Step("unsigned notification", "POST", $"/api/notifications/{connectionId}", new { id = 1 }, authenticated: false);
        await Step("reset unknown feed", "POST", $"/api/connections/{connectionId}/reset", new { entityTypes = new[] { "invoices" } });
        await Step("reset customers", "POST", $"/api/connections/{connectionId}/reset", new { entityTypes = new[] { "customers" } });
        await Step("backfill without from", "POST", $"/api/connections/{connectionId}/backfill", new { entityTypes = new[] { "orders" } });
        var backfill = (await Step("backfill", "POST", $"/api/connections/{connectionId}/backfill", new { entityTypes = new[] { "orders" }, from = "2026-10-01T00:00:00Z", to = "2026-10-31T00:00:00Z" }))!.Value;
        await WaitForRunAsync(backfill.GetProperty("runId").GetString()!);
        // A valid request holds the stream open (self-hosted) or answers the events so far (Functions): only its refusals compare.
        await Step("events from a made-up position", "GET", "/api/events?lastEventId=nope");

        // A local change, then the marketplace changes the same order: a conflict.
        var orderId = SimCatalog.OrderId(3).ToString();
        await Step("list records", "GET", $"/api/connections/{connectionId}/records/orders?pageSize=5");
        await Step("list records bad type", "GET", $"/api/connections/{connectionId}/records/planets");
        var record = (await Step("get record", "GET", $"/api/connections/{connectionId}/records/orders/{orderId}"))!.Value.GetProperty("record");
        var edited = JsonNode.Parse(record.GetRawText())!.AsObject();
        edited["status"] = "held-by-warehouse";
        await Step("edit record", "PUT", $"/api/connections/{connectionId}/records/orders/{orderId}", edited.ToJsonString());
        store.Mutate(SimKind.Orders, 40, DateTimeOffset.UtcNow.AddMinutes(-5));
        var incremental = (await send("POST", "/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "incremental" })).Json;
        await WaitForRunAsync(incremental.GetProperty("runs")[0].GetProperty("runId").GetString()!);
        var conflicts = (await Step("list conflicts", "GET", $"/api/conflicts?connectionId={connectionId}"))!.Value.GetProperty("conflicts");
        var conflictId = conflicts[0].GetProperty("id").GetString()!;
        await Step("get conflict", "GET", $"/api/conflicts/{conflictId}");
        await Step("resolve conflict", "POST", $"/api/conflicts/{conflictId}/resolve", new { resolution = "keep_target", note = "warehouse hold stands" });
        await Step("missing conflict", "GET", "/api/conflicts/no-such-conflict");

        // Refusals both hosts must answer alike (4xx problems, nothing changed).
        await Step("not JSON", "POST", "/api/connections", "organizationId=o", contentType: "application/x-www-form-urlencoded");
        await Step("too large", "POST", "/api/connections", new string(' ', 1_100_000) + "{}");
        await Step("duplicate key", "POST", "/api/sync/interval", "{\"minutes\": 5, \"minutes\": 6}");
        await Step("cron every second", "POST", "/api/sync/interval", new { cron = "* * * * * *" });
        await Step("cron never", "POST", "/api/sync/interval", new { cron = "0 0 31 2 *" });
        await Step("control character in organization", "POST", "/api/admin/keys", new { organizationId = "org\u0001shape" });
        await Step("slash in organization", "POST", "/api/sync/run-full", new { organizationId = "org/shape" });
        await Step("take not a number", "GET", $"/api/connections/{connectionId}/activity?take=five");
        await Step("record duplicate key", "PUT", $"/api/connections/{connectionId}/records/orders/{orderId}", "{\"status\": \"a\", \"status\": \"b\"}");
        await Step("record unknown field", "PUT", $"/api/connections/{connectionId}/records/orders/{orderId}", new { status = "a", colour = "blue" });
        await Step("merge-patch record", "PATCH", $"/api/connections/{connectionId}/records/orders/{orderId}", "{\"status\": \"on-hold\", \"customerExternalId\": null}", contentType: "application/merge-patch+json");
        await Step("merge-patch unknown field", "PATCH", $"/api/connections/{connectionId}/records/orders/{orderId}", "{\"colour\": \"blue\"}", contentType: "application/merge-patch+json");
        await Step("merge-patch not an object", "PATCH", $"/api/connections/{connectionId}/records/orders/{orderId}", "[1]", contentType: "application/merge-patch+json");
        await Step("merge-patch missing record", "PATCH", $"/api/connections/{connectionId}/records/orders/1", "{\"status\": \"on-hold\"}", contentType: "application/merge-patch+json");

        var webhook = (await Step("create webhook", "POST", "/api/webhooks", new { organizationId = Organization, events = new[] { "sync.completed" }, targetUrl = "https://hooks.example.com/shape" }))!.Value;
        var webhookId = webhook.GetProperty("id").GetString()!;
        await Step("list webhooks", "GET", $"/api/webhooks?organizationId={Organization}");
        await Step("get webhook", "GET", $"/api/webhooks/{webhookId}");
        await Step("patch webhook", "PATCH", $"/api/webhooks/{webhookId}", new { description = "shape", enabled = false });
        await Step("bad webhook patch", "PATCH", $"/api/webhooks/{webhookId}", new { events = new[] { "sync.exploded" } });
        await Step("deliveries", "GET", $"/api/webhooks/{webhookId}/deliveries");
        await Step("rotate webhook secret", "POST", $"/api/webhooks/{webhookId}/secret");
        await Step("replay missing delivery", "POST", "/api/webhooks/deliveries/no-such-delivery/replay");
        await Step("missing delivery", "GET", $"/api/webhooks/deliveries/{webhookId}-no-such-event");
        await Step("import receipt", "POST", "/api/orders/import", new { syncToken, receipt = "R-100002" });
        var rotated = (await Step("rotate sync token", "POST", $"/api/connections/{connectionId}/sync-token"))!.Value.GetProperty("syncToken").GetString()!;
        await Step("import with the old token", "POST", "/api/orders/import", new { syncToken, receipt = "R-100004" });
        await Step("import with the new token", "POST", "/api/orders/import", new { syncToken = rotated, receipt = "R-100004" });

        await Step("sync status", "GET", "/api/sync/status");
        await Step("start", "POST", "/api/sync/start");
        await Step("interval", "POST", "/api/sync/interval", new { minutes = 30 });
        await Step("bad interval", "POST", "/api/sync/interval", new { cron = "not a cron" });
        await Step("stop", "POST", "/api/sync/stop");
        await Step("trigger without scope", "POST", "/api/sync/trigger", "{}");
        await Step("run full without scope", "POST", "/api/sync/run-full");
        await Step("enable webhook", "PATCH", $"/api/webhooks/{webhookId}", new { enabled = true });
        var full = (await Step("run full", "POST", "/api/sync/run-full", new { organizationId = Organization }))!.Value;
        foreach (var id in full.GetProperty("runIds").EnumerateArray())
        {
            await WaitForRunAsync(id.GetString()!);
        }

        // The run's sync.completed once attempted (the target does not exist, so it waits for a retry), with its payload.
        var delivery = await Eventually.WaitForAsync(
            async () =>
            {
                await (settle?.Invoke() ?? Task.CompletedTask);
                return (await send("GET", $"/api/webhooks/{webhookId}/deliveries")).Json.GetProperty("deliveries");
            },
            deliveries => deliveries.GetArrayLength() > 0 && deliveries[0].GetProperty("attempts").GetInt32() > 0, TimeSpan.FromMinutes(1));
        var payload = (await Step("get delivery", "GET", $"/api/webhooks/deliveries/{delivery[0].GetProperty("id").GetString()}"))!.Value.GetProperty("payload");
        Assert.Equal("sync.completed", payload.GetProperty("type").GetString());

        await Step("delete webhook", "DELETE", $"/api/webhooks/{webhookId}");
        await Step("delete connection", "DELETE", $"/api/connections/{connectionId}");
        await Step("deleted connection", "GET", $"/api/connections/{connectionId}");
        return steps;
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using FunctionsSync.Core.Api;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Tables;
using Xunit.Abstractions;

namespace FunctionsSync.IntegrationTests.Fuzz;

/// <summary>
/// Generated requests over every route of the table, against the self-hosted API on Azurite: ids (real ones, and
/// strings no store would hold), query strings, bodies (each route's body with fields dropped, added, retyped,
/// duplicated or blown up, other JSON, not JSON), content types and keys. Whatever is sent: never a 5xx, a problem
/// body on every 4xx, and no write to storage caused by a request that was refused.
/// A fixed seed and <see cref="DefaultIterations"/> in the default run; <c>FUNCTIONSSYNC_FUZZ_ITERATIONS</c> (and
/// <c>FUNCTIONSSYNC_FUZZ_SEED</c>) run longer or elsewhere.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class RouteFuzzTests(AzuriteFixture storage, SimulatorFixture simulator, ITestOutputHelper output)
{
    private const int DefaultIterations = 600;
    private const string DefaultSeed = "0000001diBx7";
    private const string Organization = "org-fuzz";


    [Fact]
    public async Task Generated_requests_on_every_route_never_answer_5xx_always_explain_a_4xx_and_change_nothing_when_refused()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("FUNCTIONSSYNC_FUZZ_ITERATIONS"), out var n) ? n : DefaultIterations;
        var seed = Environment.GetEnvironmentVariable("FUNCTIONSSYNC_FUZZ_SEED") is { Length: > 0 } s ? s : DefaultSeed;
        // Configured as deployed: without a receipt validator the import route answers 503 (the operator's to fix).
        await using var host = new HostApp(storage, StorageServices.NewPrefix("fuzz"), new Dictionary<string, string?>
        {
            ["Receipts:ValidatorUrl"] = simulator.BaseUrl + "/mock/{marketplace}/validate",
            ["Receipts:ValidatorUser"] = "simulator",
            ["Receipts:ValidatorPassword"] = "simulator",
        })
        {
            PreserveExecutionContext = true,
        };
        using var admin = host.Client();
        using var anonymous = host.Client(null);
        var known = await SeedAsync(admin);

        var statuses = new Dictionary<int, int>();
        var refusedAfterReading = 0;
        var routes = new HashSet<string>();
        await FuzzRequest.Gen(known).SampleAsync(async request =>
        {
            var tally = StorageRequestCounter.BeginTally();
            using var message = request.ToMessage();
            using var response = await (request.Key == FuzzKey.None ? anonymous : admin).SendAsync(message);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            lock (statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                routes.Add(request.Route.Name + " " + request.Route.Verb);
            }

            Assert.True(status < 500, $"{request}: {status} {text}");
            if (status >= 400 && request.Method != "HEAD")
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{request}: {status} as {response.Content.Headers.ContentType}: {text}");
                using var problem = JsonDocument.Parse(text);
                Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
                Assert.True(tally.Writes == 0, $"{request}: refused with {status} but wrote to storage {tally.Writes} time(s)");
                if (tally.Requests > 0)
                {
                    Interlocked.Increment(ref refusedAfterReading);
                }
            }
        }, seed: seed, iter: iterations, threads: 1, print: r => r.ToString());

        output.WriteLine($"{iterations} requests (seed {seed}) over {routes.Count} route verbs: " +
            string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key} ×{p.Value}")) + $"; {refusedAfterReading} refusals read storage first");
        // The tally sees each request's own storage calls (a 404 looks its id up first): the write check is not vacuous.
        Assert.True(refusedAfterReading > 0);
        // The generator reaches every route of the table.
        Assert.Equal(FuzzRequest.Fuzzed.Select(r => r.Name + " " + r.Verb).Order(), routes.Where(r => ApiRoutes.All.Any(a => a.Name + " " + a.Verb == r)).Order());
    }

    /// <summary>A connection with a synced run, a webhook endpoint and an organization key: the real ids requests may name.</summary>
    private async Task<KnownIds> SeedAsync(HttpClient admin)
    {
        var storeId = $"fuzz-{Guid.NewGuid():N}"[..16];
        var (connectionId, syncToken, _) = await admin.RegisterSimulatedAsync(simulator, Organization, "woocommerce", storeId, new SimStoreConfig { Orders = 30, Products = 5, Customers = 5, Seed = 61 });
        var triggered = await (await admin.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" })).ReadJsonAsync();
        var runId = triggered.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await admin.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));
        var webhook = await (await admin.PostJsonAsync("/api/webhooks", new { organizationId = Organization, events = new[] { "sync.completed" }, targetUrl = $"{simulator.BaseUrl}/webhooks/receiver" })).ReadJsonAsync();
        var key = await (await admin.PostJsonAsync("/api/admin/keys", new { organizationId = Organization })).ReadJsonAsync();
        return new KnownIds(connectionId, runId, webhook.TryGetProperty("id", out var w) ? w.GetString()! : "wh", key.GetProperty("id").GetString()!, syncToken, SimCatalog.OrderId(3).ToString(CultureInfo.InvariantCulture));
    }
}

public sealed record KnownIds(string ConnectionId, string RunId, string WebhookId, string KeyId, string SyncToken, string OrderId);

public enum FuzzKey
{
    Admin,
    None,
    Wrong,
}

/// <summary>One generated request.</summary>
public sealed record FuzzRequest(ApiRoute Route, string Method, string Path, string? Body, string ContentType, FuzzKey Key)
{
    private static readonly string[] Verbs = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    private static readonly string[] QueryKeys = ["organizationId", "take", "pageSize", "status", "entityType", "marketplace", "connectionId", "continuation", "health"];

    /// <summary>Mostly JSON, then what a client gets wrong.</summary>
    private static readonly string[] ContentTypes = ["application/json", "application/json", "application/json", "text/plain", "", "application/json; charset=utf-16", "application/merge-patch+json", "multipart/form-data"];

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Key == FuzzKey.Wrong)
        {
            message.Headers.TryAddWithoutValidation("X-Api-Key", "fs_wrong_key_0123456789abcdef");
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            if (ContentType.Length > 0 && MediaTypeHeaderValue.TryParse(ContentType, out var type))
            {
                message.Content.Headers.ContentType = type;
            }
        }

        return message;
    }

    public override string ToString() =>
        $"{Method} {Path} ({Route.Name}; key {Key}; {ContentType}) {(Body is null ? "no body" : Body.Length > 300 ? Body[..300] + $"… ({Body.Length} chars)" : Body)}";

    /// <summary>
    /// Every route but the event stream, whose valid requests hold the response open (its refusals are steps of
    /// ResponseShapeTests and LiveEventTests).
    /// </summary>
    public static IEnumerable<ApiRoute> Fuzzed => ApiRoutes.All.Where(r => r.Name != "Events");

    public static Gen<FuzzRequest> Gen(KnownIds known)
    {
        var route = Pick(Fuzzed.ToArray());
        return route.SelectMany(r => CsCheck.Gen.Select(
            CsCheck.Gen.Frequency((12, CsCheck.Gen.Const(r.Verb)), (1, Pick(Verbs))),
            PathOf(r, known),
            Query(known),
            BodyOf(r, known),
            Pick(ContentTypes),
            CsCheck.Gen.Frequency((12, CsCheck.Gen.Const(FuzzKey.Admin)), (1, CsCheck.Gen.Const(FuzzKey.None)), (1, CsCheck.Gen.Const(FuzzKey.Wrong))),
            (method, path, query, body, contentType, key) => new FuzzRequest(r, method, path + query, method is "GET" or "HEAD" or "DELETE" && body is not null ? null : body, contentType, key)));
    }

    private static Gen<T> Pick<T>(T[] values) => CsCheck.Gen.Int[0, values.Length - 1].Select(i => values[i]);

    /// <summary>Ids: the real one, or a string no store holds (empty-ish, long, escaped, control characters, unicode, key syntax).</summary>
    private static Gen<string> Id(string real) => CsCheck.Gen.Frequency(
        (6, CsCheck.Gen.Const(real)),
        (2, CsCheck.Gen.String[1, 40]),
        (1, CsCheck.Gen.Int[200, 3_000].Select(len => new string('x', len))),
        // No %00: the in-process test server refuses to build such a path (Kestrel answers it with its own 400).
        (2, Pick(new[] { "%2F", "..", "%20", "a%23b", "%E2%82%AC", "%FF", "a'b", "%27%20or%20%271%27%3D%271", "PartitionKey%20eq%20'x'", "%0D%0A", "%7B%7D", "-1", "0", "99999999999999999999" })),
        (1, CsCheck.Gen.Char.Array[1, 20].Select(chars => new string(chars).Replace('\0', '0'))))
        .Select(id => id.Contains('%', StringComparison.Ordinal) || id == real ? id : Uri.EscapeDataString(id));

    private static Gen<string> PathOf(ApiRoute route, KnownIds known)
    {
        var path = CsCheck.Gen.Const("/" + ApiRoutes.Prefix + "/" + route.Template);
        foreach (var (name, real) in new[]
        {
            ("{runId}", known.RunId),
            ("{id}", route.Template.StartsWith("webhooks", StringComparison.Ordinal) ? known.WebhookId : route.Template.StartsWith("admin", StringComparison.Ordinal) ? known.KeyId : route.Template.StartsWith("conflicts", StringComparison.Ordinal) ? "c" + known.ConnectionId : known.ConnectionId),
            ("{entityType}", "orders"),
            ("{externalId}", known.OrderId),
        })
        {
            if (route.Template.Contains(name, StringComparison.Ordinal))
            {
                path = path.SelectMany(p => Id(real).Select(id => p.Replace(name, id, StringComparison.Ordinal)));
            }
        }

        return path;
    }

    private static Gen<string> Query(KnownIds known) => CsCheck.Gen.Frequency(
        (4, CsCheck.Gen.Const("")),
        (3, CsCheck.Gen.Select(Pick(QueryKeys), Value(known), (k, v) => $"?{k}={Uri.EscapeDataString(v)}")),
        (1, CsCheck.Gen.Select(Pick(QueryKeys), Value(known), Pick(QueryKeys), Value(known), (k1, v1, k2, v2) => $"?{k1}={Uri.EscapeDataString(v1)}&{k2}={Uri.EscapeDataString(v2)}")),
        (1, CsCheck.Gen.String[0, 60].Select(raw => "?" + raw.Replace("#", "%23", StringComparison.Ordinal).Replace("%00", "%30", StringComparison.Ordinal))));

    private static Gen<string> Value(KnownIds known) => CsCheck.Gen.Frequency(
        (3, Pick(new[] { "org-fuzz", "10", "0", "-1", "1.5", "abc", "", "100000000000", "open", "orders", known.ConnectionId })),
        (2, CsCheck.Gen.String[0, 30]),
        (1, CsCheck.Gen.Int[300, 2_000].Select(len => new string('o', len))));

    /// <summary>The route's body (or none), then mutated: the shape a client might get wrong in every way.</summary>
    private static Gen<string?> BodyOf(ApiRoute route, KnownIds known)
    {
        var template = Template(route, known);
        return CsCheck.Gen.Frequency(
            (4, Mutated(template)),
            (2, CsCheck.Gen.Const<string?>(template?.ToJsonString())),
            (1, Json(3).Select(j => (string?)(j?.ToJsonString() ?? "null"))),
            (1, CsCheck.Gen.String[0, 80].Select(text => (string?)text)),
            (1, CsCheck.Gen.Const((string?)null)),
            (1, CsCheck.Gen.Const<string?>("")),
            (1, DuplicateKey(template)),
            (2, AtTheLimits(template)));
    }

    /// <summary>Characters JSON escapes or that take more room stored than received: '&lt;' and '&amp;' (six characters escaped), 'é', '‹', an emoji (a surrogate pair).</summary>
    private static readonly string[] Heavy = ["<", "&", "é", "‹", "😀"];

    /// <summary>
    /// The route's body with its string fields and maps filled up to the documented limits with characters that grow
    /// when stored (a setting of 4,096 characters of '&lt;', 50 of them): each fits the request's limits; whether it fits
    /// storage is the service's to measure (400 naming the field, never 500).
    /// </summary>
    private static Gen<string?> AtTheLimits(JsonObject? template)
    {
        if (template is null)
        {
            return CsCheck.Gen.Const((string?)null);
        }

        return CsCheck.Gen.Select(Pick(Heavy), CsCheck.Gen.Int[1, 50], CsCheck.Gen.Int[0, 2], (heavy, entries, size) =>
        {
            var length = size switch { 0 => 1_000, 1 => 4_096, _ => 6_400 };
            var text = string.Concat(Enumerable.Repeat(heavy, Math.Max(1, length / heavy.Length)));
            var copy = JsonNode.Parse(template.ToJsonString())!.AsObject();
            foreach (var (key, value) in copy.ToList())
            {
                if (value is JsonObject map)
                {
                    var filled = new JsonObject();
                    foreach (var existing in map)
                    {
                        filled[existing.Key] = existing.Value?.DeepClone();
                    }

                    for (var i = 0; i < entries; i++)
                    {
                        filled[$"k{i}"] = Math.Min(text.Length, 4_096) == text.Length ? text : text[..4_096];
                    }

                    copy[key] = filled;
                }
                else if (value is JsonValue v && v.TryGetValue<string>(out _) && key is "name" or "description" or "status" or "note")
                {
                    copy[key] = text;
                }
            }

            return (string?)copy.ToJsonString();
        });
    }

    private static JsonObject? Template(ApiRoute route, KnownIds known) => route.Name switch
    {
        "OrdersImport" => new JsonObject { ["syncToken"] = known.SyncToken, ["receipt"] = "receipt-fuzz-1" },
        "SyncInterval" => new JsonObject { ["cron"] = "0 */15 * * * *" },
        "SyncTrigger" => new JsonObject { ["connectionIds"] = new JsonArray(known.ConnectionId), ["mode"] = "full", ["entityTypes"] = new JsonArray("orders") },
        "SyncRunFull" => new JsonObject { ["organizationId"] = "org-fuzz" },
        "ConnectionRegister" => new JsonObject
        {
            ["organizationId"] = "org-fuzz", ["marketplace"] = "shopify", ["externalStoreId"] = "fuzz-store", ["name"] = "fuzz",
            ["credentials"] = new JsonObject { ["accessToken"] = "shpat_fuzz" }, ["settings"] = new JsonObject { ["baseUrl"] = "https://fuzz.example.com" },
        },
        "ConnectionPatch" => new JsonObject { ["enabled"] = true, ["priority"] = 5, ["intervalMinutes"] = 30, ["settings"] = new JsonObject { ["batchSize"] = "50" } },
        "RecordEdit" => new JsonObject { ["externalId"] = known.OrderId, ["status"] = "held" },
        "ConflictResolve" => new JsonObject { ["resolution"] = "keep_local", ["note"] = "fuzz" },
        "WebhookPatch" => new JsonObject { ["events"] = new JsonArray("sync.completed", "sync.failed"), ["description"] = "fuzz", ["enabled"] = true },
        "WebhookCreate" => new JsonObject { ["organizationId"] = "org-fuzz", ["events"] = new JsonArray("sync.completed"), ["targetUrl"] = "https://hooks.example.com/x" },
        "AdminIssueKey" => new JsonObject { ["organizationId"] = "org-fuzz" },
        _ => null,
    };

    private static Gen<string?> Mutated(JsonObject? template)
    {
        if (template is null)
        {
            return Json(2).Select(j => (string?)(j?.ToJsonString() ?? "null"));
        }

        var fields = template.Select(p => p.Key).ToArray();
        return CsCheck.Gen.Select(Pick(fields), CsCheck.Gen.Int[0, 3], Json(3), (field, how, value) =>
        {
            var copy = JsonNode.Parse(template.ToJsonString())!.AsObject();
            switch (how)
            {
                case 0:
                    copy.Remove(field);
                    break;
                case 1:
                    copy["unexpected" + field] = value;
                    break;
                default:
                    copy[field] = value;
                    break;
            }

            return (string?)copy.ToJsonString();
        });
    }

    private static Gen<string?> DuplicateKey(JsonObject? template) =>
        CsCheck.Gen.Const<string?>(template is null ? "{\"a\":1,\"a\":2}" : template.ToJsonString().TrimEnd('}') + "," + JsonSerializer.Serialize(template.First().Key) + ":\"again\"}");

    /// <summary>Any JSON value, nested up to <paramref name="depth"/>: strings (long ones beyond Table Storage's limits too), numbers, booleans, nulls, arrays, objects.</summary>
    private static Gen<JsonNode?> Json(int depth)
    {
        var leaf = CsCheck.Gen.Frequency(
            (3, CsCheck.Gen.String[0, 30].Select(s => (JsonNode?)JsonValue.Create(s))),
            (2, CsCheck.Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l))),
            (1, CsCheck.Gen.Double.Select(d => (JsonNode?)(double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(0.5)))),
            (1, CsCheck.Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
            (1, CsCheck.Gen.Const((JsonNode?)null)),
            (1, CsCheck.Gen.Int[30_000, 70_000].Select(len => (JsonNode?)JsonValue.Create(new string('z', len)))));
        if (depth == 0)
        {
            return leaf;
        }

        var inner = Json(depth - 1);
        return CsCheck.Gen.Frequency(
            (5, leaf),
            (1, inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, CsCheck.Gen.Select(CsCheck.Gen.String[1, 12].Array[0, 4], inner.Array[4], (keys, values) =>
            {
                var o = new JsonObject();
                for (var i = 0; i < keys.Length; i++)
                {
                    o[keys[i]] = values[i];
                }

                return (JsonNode?)o;
            })));
    }
}

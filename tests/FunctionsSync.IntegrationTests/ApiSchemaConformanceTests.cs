using System.Net;
using System.Text.Json;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Real answers against the schemas the OpenAPI document gives for them, as a generated client would read them:
/// status fields are the strings the API writes, and a member left out because it is null is not required.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ApiSchemaConformanceTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task Every_answer_of_a_sync_fits_the_schema_its_operation_declares()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("schemafit"), new Dictionary<string, string?> { ["Webhooks:AllowedHosts:0"] = "127.0.0.1" });
        var client = host.Client();
        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        const string storeId = "schema-fit";
        simulator.State.PutStore("woocommerce", storeId, new SimStoreConfig { Orders = 120, Products = 30, Customers = 20, Seed = 93, Credentials = SyncHarness.CredentialsFor("woocommerce", storeId) });
        var answers = new List<(string Operation, HttpResponseMessage Response)>();

        var registered = await client.PostJsonAsync("/api/connections", new
        {
            organizationId = "org-schema", marketplace = "woocommerce", externalStoreId = storeId, name = "schema fit",
            credentials = SyncHarness.CredentialsFor("woocommerce", storeId),
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("woocommerce", storeId) },
        });
        answers.Add(("ConnectionRegister", registered));
        var connectionId = (await registered.ReadJsonAsync()).GetProperty("connectionId").GetString()!;
        var webhook = await client.PostJsonAsync("/api/webhooks", new { organizationId = "org-schema", events = new[] { "sync.completed" }, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/schema-fit" });
        Assert.True(webhook.StatusCode == HttpStatusCode.Created, await webhook.Content.ReadAsStringAsync());
        answers.Add(("WebhookCreate", webhook));
        var webhookId = (await webhook.ReadJsonAsync()).GetProperty("id").GetString()!;

        var trigger = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode = "full" });
        answers.Add(("SyncTrigger", trigger));
        var runId = (await trigger.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
        Assert.Equal("succeeded", (await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());

        foreach (var (operation, path) in new[]
        {
            ("RunGet", $"/api/runs/{runId}"),
            ("RunList", "/api/runs?organizationId=org-schema"),
            ("ConnectionGet", $"/api/connections/{connectionId}"),
            ("ConnectionList", "/api/connections?organizationId=org-schema"),
            ("ConnectionStatus", $"/api/connections/{connectionId}/status"),
            ("ConnectionRuns", $"/api/connections/{connectionId}/runs"),
            ("ConnectionActivity", $"/api/connections/{connectionId}/activity"),
            ("RecordList", $"/api/connections/{connectionId}/records/orders?pageSize=5"),
            ("SyncStatus", "/api/sync/status"),
            ("WebhookGet", $"/api/webhooks/{webhookId}"),
            ("WebhookList", "/api/webhooks"),
            ("WebhookDeliveries", $"/api/webhooks/{webhookId}/deliveries"),
            ("ConflictList", "/api/conflicts"),
            ("Health", "/api/health"),
        })
        {
            answers.Add((operation, await client.GetAsync(path)));
        }

        var misfits = new List<string>();
        foreach (var (operation, response) in answers)
        {
            var status = (int)response.StatusCode;
            Assert.True(response.IsSuccessStatusCode, $"{operation}: {status}");
            var schema = OpenApiSchemas.For(document, operation, status) ?? throw new InvalidOperationException($"{operation} does not declare {status}");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (OpenApiSchemas.Misfits(schema, body.RootElement) is { Count: > 0 } found)
            {
                misfits.Add($"{operation} ({status}): {string.Join("; ", found)}");
            }
        }

        Assert.True(misfits.Count == 0, string.Join("\n", misfits));
    }

    [Fact]
    public async Task Status_fields_are_described_as_the_strings_they_are_written_as()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("schemaenum"));
        var schemas = (await (await host.Client(null).GetAsync("/openapi/v1.json")).ReadJsonAsync()).GetProperty("components").GetProperty("schemas");
        var runStatus = Resolve(schemas.GetProperty("RunView").GetProperty("properties").GetProperty("status"), schemas);
        Assert.True(Types(runStatus).Contains("string"), runStatus.ToString());
        Assert.Contains("succeeded", runStatus.GetProperty("enum").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null));
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;

    private static IEnumerable<string?> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? [] : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()) : [type.GetString()];
}

// Run by GeneratedClientTests against a client Kiota generated from the served OpenAPI document (namespace
// FunctionsSync.Client). Two things, written as JSON to the output file:
//   reads:  every recorded answer of the route-parity script read into the generated model its operation and status
//           declare, and written back out; plus what the models did not take (fields left in AdditionalData);
//   calls:  real requests through the generated request builders: a key, paging, enums, a problem body.
// Usage: Probe <answers.json> <openapi.json> <baseUrl> <apiKey> <out.json>
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Client;
using FunctionsSync.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Serialization.Json;

var (answersFile, documentFile, baseUrl, apiKey, outFile) = (args[0], args[1], args[2], args[3], args[4]);
var document = JsonNode.Parse(File.ReadAllText(documentFile))!;
var reads = new JsonArray();
foreach (var answer in JsonNode.Parse(File.ReadAllText(answersFile))!.AsArray())
{
    var (step, path, verb, status) = ((string)answer!["step"]!, (string)answer["path"]!, (string)answer["verb"]!, (int)answer["status"]!);
    var content = document["paths"]?[path]?[verb.ToLowerInvariant()]?["responses"]?[status.ToString()]?["content"]?.AsObject();
    var reference = (string?)content?.Select(c => c.Value?["schema"]?["$ref"]).FirstOrDefault(r => r is not null);
    if (reference is null)
    {
        reads.Add(new JsonObject { ["step"] = step, ["error"] = $"{verb} {path} {status}: no schema reference in the document" });
        continue;
    }

    var typeName = "FunctionsSync.Client.Models." + reference.Split('/')[^1];
    var type = typeof(FunctionsSyncClient).Assembly.GetType(typeName);
    if (type is null)
    {
        reads.Add(new JsonObject { ["step"] = step, ["error"] = $"no generated type {typeName}" });
        continue;
    }

    var node = new JsonParseNode(JsonDocument.Parse(answer["body"]!.ToJsonString()).RootElement);
    var model = (IParsable)ReadAs(type, node);
    using var writer = new JsonSerializationWriter();
    writer.WriteObjectValue<IParsable>(null, model);
    using var written = new StreamReader(writer.GetSerializedContent());
    var leftovers = new JsonArray();
    Leftovers(model, type.Name, leftovers);
    reads.Add(new JsonObject { ["step"] = step, ["type"] = type.Name, ["written"] = JsonNode.Parse(written.ReadToEnd()), ["notTaken"] = leftovers });
}

// What was read stands on its own should a call below fail.
File.WriteAllText(outFile, new JsonObject { ["reads"] = reads.DeepClone() }.ToJsonString());

// The key on every request. (Kiota's ApiKeyAuthenticationProvider sends it over https only; the test's host is plain
// http on the loopback.)
var keyed = new HttpClient();
keyed.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
var client = new FunctionsSyncClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: keyed) { BaseUrl = baseUrl });
var calls = new JsonObject();

// Paging: one connection a page, following the continuation token to the end.
var names = new JsonArray();
string? token = null;
do
{
    var page = await client.Api.Connections.GetAsync(r => { r.QueryParameters.PageSize = 1; r.QueryParameters.ContinuationToken = token; });
    foreach (var connection in page!.Connections!)
    {
        names.Add(new JsonObject { ["name"] = connection.Name, ["health"] = Wire(connection.Health) });
    }

    token = page.ContinuationToken;
}
while (token is not null);
calls["connections"] = names;

// Enums of a run read through its own route.
var ended = await client.Api.RunHistory.GetAsync(r => r.QueryParameters.PageSize = 1);
var run = await client.Api.Runs[ended!.Runs![0].RunId!].GetAsync();
calls["run"] = new JsonObject
{
    ["runId"] = run!.RunId, ["status"] = Wire(run.Status), ["mode"] = Wire(run.Mode), ["trigger"] = Wire(run.Trigger),
    ["entityStates"] = new JsonArray([.. run.Entities!.Select(e => (JsonNode?)JsonValue.Create(Wire(e.State)))]),
};

// A problem body, as the generated error type.
try
{
    await client.Api.Runs["nosuchconnection-0000000000000000000abcdef"].GetAsync();
    calls["missingRun"] = "no error";
}
catch (ProblemBody problem)
{
    calls["missingRun"] = new JsonObject { ["status"] = problem.Status, ["title"] = problem.Title, ["responseStatusCode"] = problem.ResponseStatusCode };
}

// Without a key: 401, a problem too.
try
{
    await new FunctionsSyncClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider()) { BaseUrl = baseUrl }).Api.Connections.GetAsync();
    calls["unauthenticated"] = "no error";
}
catch (ProblemBody problem)
{
    calls["unauthenticated"] = new JsonObject { ["status"] = problem.Status, ["title"] = problem.Title };
}

File.WriteAllText(outFile, new JsonObject { ["reads"] = reads, ["calls"] = calls }.ToJsonString());
return 0;

// The generated enum's wire value (its EnumMember), as a client would send it back; null when the client read none.
static string? Wire<T>(T? value) where T : struct, Enum =>
    value is { } v ? typeof(T).GetField(v.ToString())!.GetCustomAttribute<System.Runtime.Serialization.EnumMemberAttribute>()?.Value ?? v.ToString() : null;

// JsonParseNode.GetObjectValue<T>(T.CreateFromDiscriminatorValue), for the type named at run time.
static object ReadAs(Type type, JsonParseNode node)
{
    var create = type.GetMethod("CreateFromDiscriminatorValue", BindingFlags.Public | BindingFlags.Static)!;
    var factory = Delegate.CreateDelegate(typeof(ParsableFactory<>).MakeGenericType(type), create);
    var read = typeof(JsonParseNode).GetMethod(nameof(JsonParseNode.GetObjectValue))!.MakeGenericMethod(type);
    return read.Invoke(node, [factory])!;
}

// Fields a model kept aside because it has no property for them. A map (a class whose only property is AdditionalData,
// what Kiota makes of additionalProperties) keeps its entries there by design.
static void Leftovers(object model, string at, JsonArray found)
{
    var properties = model.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.DeclaringType != typeof(Exception) && p.DeclaringType != typeof(ApiException)).ToList();
    var isMap = properties.All(p => p.Name is "AdditionalData" or "BackingStore");
    if (model is IAdditionalDataHolder holder && !isMap && holder.AdditionalData.Count > 0)
    {
        found.Add($"{at}: {string.Join(", ", holder.AdditionalData.Keys)}");
    }

    foreach (var property in properties.Where(p => p.Name != "AdditionalData"))
    {
        switch (property.GetValue(model))
        {
            case IParsable child and not UntypedNode:
                Leftovers(child, $"{at}.{property.Name}", found);
                break;
            case System.Collections.IEnumerable items and not string:
                var i = 0;
                foreach (var item in items)
                {
                    if (item is IParsable element and not UntypedNode)
                    {
                        Leftovers(element, $"{at}.{property.Name}[{i}]", found);
                    }

                    i++;
                }

                break;
        }
    }
}

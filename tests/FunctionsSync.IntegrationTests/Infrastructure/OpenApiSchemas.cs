using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>The schemas of an OpenAPI document's answers as standalone JSON Schemas, to hold real answers to them.</summary>
public static class OpenApiSchemas
{
    /// <summary>
    /// The schema the document gives the answer of <paramref name="operationId"/> with <paramref name="status"/>: the
    /// document's components become its <c>$defs</c>, so references resolve inside it. Null when the operation does
    /// not declare that status; a declared status without a body has an empty schema list (nothing to check).
    /// </summary>
    public static JsonSchema? For(JsonElement document, string operationId, int status)
    {
        var operation = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject())
            .Single(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out var id) && id.GetString() == operationId).Value;
        if (!operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response))
        {
            return null;
        }

        if (!response.TryGetProperty("content", out var content))
        {
            return JsonSchema.FromText("{}", new BuildOptions(), new Uri($"https://functionssync.test/{operationId}/{status}/empty"));
        }

        var root = JsonNode.Parse(content.EnumerateObject().First().Value.GetProperty("schema").GetRawText())!.AsObject();
        root["$defs"] = JsonNode.Parse(document.GetProperty("components").GetProperty("schemas").GetRawText());
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions(), new Uri($"https://functionssync.test/{operationId}/{status}/{Guid.NewGuid():N}"));
    }

    /// <summary>Where <paramref name="body"/> breaks <paramref name="schema"/>: empty when it fits.</summary>
    public static IReadOnlyList<string> Misfits(JsonSchema schema, JsonElement body)
    {
        var result = schema.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation} {string.Join(", ", d.Errors!.Values)}").Take(5)];
    }
}

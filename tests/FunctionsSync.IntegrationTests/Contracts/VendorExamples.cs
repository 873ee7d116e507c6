using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>The example payloads the vendors publish beside their contracts.</summary>
public static class VendorExamples
{
    /// <summary>The JSON response example that follows <paramref name="heading"/> in a WooCommerce reference page.</summary>
    public static JsonNode WooCommerce(string file, string heading)
    {
        var text = ContractFiles.Text($"woocommerce/{file}");
        var at = text.IndexOf(heading, StringComparison.Ordinal);
        var example = text.IndexOf("> JSON response example:", at, StringComparison.Ordinal);
        var start = text.IndexOf("```json", example, StringComparison.Ordinal) + "```json".Length;
        return JsonNode.Parse(text[start..text.IndexOf("```", start, StringComparison.Ordinal)])!;
    }

    /// <summary>The 200 example of an SP-API operation: the response's <c>examples</c>, or its first static sandbox response.</summary>
    public static JsonNode Amazon(string model, string path)
    {
        using var document = ContractFiles.Json($"amazon/{model}");
        var ok = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200");
        var example = ok.TryGetProperty("examples", out var examples) && examples.TryGetProperty("application/json", out var json)
            ? json
            : ok.GetProperty("x-amzn-api-sandbox").GetProperty("static")[0].GetProperty("response");
        return JsonNode.Parse(example.GetRawText())!;
    }
}

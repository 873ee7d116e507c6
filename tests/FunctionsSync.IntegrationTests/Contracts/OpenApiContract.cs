using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// A vendor's OpenAPI 3 (Etsy) or Swagger 2.0 (Amazon SP-API) document, read as published: which operation a request
/// is, whether each query parameter is one the operation declares with a value inside its declared type, enum and
/// range, required ones present; and whether a response body fits the operation's declared schema.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly ConcurrentDictionary<string, OpenApiContract> Loaded = new();

    private readonly JsonElement root;
    private readonly bool swagger2;

    private OpenApiContract(JsonDocument document)
    {
        root = document.RootElement.Clone();
        swagger2 = root.TryGetProperty("swagger", out _);
    }

    public static OpenApiContract Load(string relative) =>
        Loaded.GetOrAdd(relative, r => { using var json = ContractFiles.Json(r); return new OpenApiContract(json); });

    /// <summary>The operation a request path is (its template and definition), or null when the document has none.</summary>
    public (string Template, JsonElement Operation, JsonElement PathItem)? Find(string method, string path)
    {
        foreach (var item in root.GetProperty("paths").EnumerateObject())
        {
            if (Matches(item.Name, path) && item.Value.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                return (item.Name, operation, item.Value);
            }
        }

        return null;
    }

    /// <summary>What is wrong with a request (<paramref name="pathAndQuery"/> as sent) against its operation; empty when none.</summary>
    public IReadOnlyList<string> CheckRequest(string method, string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?');
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        var query = question < 0 ? [] : Query(pathAndQuery[(question + 1)..]);
        if (Find(method, path) is not var (template, operation, pathItem))
        {
            return [$"{method} {path}: no operation of the contract"];
        }

        var errors = new List<string>();
        var declared = Parameters(operation, pathItem).Where(p => p.GetProperty("in").GetString() == "query").ToDictionary(p => p.GetProperty("name").GetString()!);
        foreach (var (name, values) in query)
        {
            if (!declared.TryGetValue(name, out var parameter))
            {
                errors.Add($"{template}: '{name}' is not a parameter of {OperationId(operation)}");
                continue;
            }

            var schema = swagger2 ? parameter : parameter.GetProperty("schema");
            var items = schema.TryGetProperty("type", out var t) && t.GetString() == "array"
                ? (swagger2 ? values.SelectMany(v => v.Split(',')) : values).ToList()
                : values;
            if (items.Count > 1 && !(schema.TryGetProperty("type", out var ty) && ty.GetString() == "array"))
            {
                errors.Add($"{template}: '{name}' given {items.Count} times");
            }

            var itemSchema = schema.TryGetProperty("items", out var i) ? Resolve(i) : schema;
            foreach (var value in items)
            {
                if (ScalarError(value, itemSchema) is { } error)
                {
                    errors.Add($"{template}: {name}={value}: {error}");
                }
            }
        }

        foreach (var (name, parameter) in declared)
        {
            if (parameter.TryGetProperty("required", out var required) && required.GetBoolean() && !query.ContainsKey(name))
            {
                errors.Add($"{template}: required '{name}' is missing");
            }
        }

        return errors;
    }

    /// <summary>What is wrong with a response body against the operation's schema for its status; empty when none.</summary>
    public IReadOnlyList<string> CheckResponse(string method, string path, int status, JsonElement body)
    {
        path = path.Split('?')[0];
        if (Find(method, path) is not var (template, operation, _))
        {
            return [$"{method} {path}: no operation of the contract"];
        }

        var responses = operation.GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var response) && !responses.TryGetProperty("default", out response))
        {
            return [$"{template}: status {status} is not a documented answer"];
        }

        response = Resolve(response);
        JsonElement schema;
        if (swagger2)
        {
            if (!response.TryGetProperty("schema", out schema))
            {
                return [];
            }
        }
        else if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json) || !json.TryGetProperty("schema", out schema))
        {
            return [];
        }

        var errors = new List<string>();
        new JsonShape(Resolve).Check(body, schema, template, errors);
        return errors;
    }

    private JsonElement Resolve(JsonElement node)
    {
        while (node.ValueKind == JsonValueKind.Object && node.TryGetProperty("$ref", out var reference))
        {
            var target = root;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            node = target;
        }

        return node;
    }

    private IEnumerable<JsonElement> Parameters(JsonElement operation, JsonElement pathItem)
    {
        foreach (var owner in new[] { pathItem, operation })
        {
            if (owner.TryGetProperty("parameters", out var list))
            {
                foreach (var parameter in list.EnumerateArray())
                {
                    yield return Resolve(parameter);
                }
            }
        }
    }

    private string? ScalarError(string value, JsonElement schema)
    {
        schema = Resolve(schema);
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "integer":
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                {
                    return "not an integer";
                }

                if (schema.TryGetProperty("minimum", out var min) && n < min.GetDouble())
                {
                    return $"below the minimum {min}";
                }

                if (schema.TryGetProperty("maximum", out var max) && n > max.GetDouble())
                {
                    return $"above the maximum {max}";
                }

                break;
            case "boolean" when value is not ("true" or "false"):
                return "not a boolean";
            case "string" when schema.TryGetProperty("format", out var format) && format.GetString() == "date-time"
                && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                return "not a date-time";
        }

        if (schema.TryGetProperty("enum", out var values) && values.EnumerateArray().All(v => v.ToString() != value))
        {
            return $"not one of {string.Join(", ", values.EnumerateArray())}";
        }

        return null;
    }

    private static string OperationId(JsonElement operation) => operation.TryGetProperty("operationId", out var id) ? id.GetString()! : "the operation";

    private static bool Matches(string template, string path)
    {
        var a = template.Trim('/').Split('/');
        var b = path.Trim('/').Split('/');
        return a.Length == b.Length && a.Zip(b).All(p => p.First.StartsWith('{') || p.First == Uri.UnescapeDataString(p.Second));
    }

    private static Dictionary<string, List<string>> Query(string query)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            (values.TryGetValue(name, out var list) ? list : values[name] = []).Add(value);
        }

        return values;
    }
}

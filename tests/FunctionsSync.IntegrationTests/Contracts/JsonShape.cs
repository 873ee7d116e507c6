using System.Text.Json;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// A JSON value against an OpenAPI 3 or Swagger 2.0 schema, the parts both use: <c>$ref</c>, <c>type</c>,
/// <c>properties</c>, <c>required</c>, <c>items</c>, <c>enum</c>, <c>allOf</c>/<c>oneOf</c>/<c>anyOf</c>, and
/// <c>nullable</c>/<c>x-nullable</c>. Properties the schema does not name are allowed (neither vendor closes its objects).
/// </summary>
public sealed class JsonShape(Func<JsonElement, JsonElement> resolve)
{
    public void Check(JsonElement value, JsonElement schema, string at, List<string> errors)
    {
        schema = resolve(schema);
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!Flag(schema, "nullable") && !Flag(schema, "x-nullable") && schema.TryGetProperty("type", out _))
            {
                errors.Add($"{at}: null, not nullable");
            }

            return;
        }

        if (schema.TryGetProperty("allOf", out var all))
        {
            foreach (var part in all.EnumerateArray())
            {
                Check(value, part, at, errors);
            }
        }

        foreach (var choice in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(choice, out var options))
            {
                // Fits one, or say how the closest one does not.
                var closest = options.EnumerateArray().Select(o => Errors(value, o, at)).MinBy(e => e.Count);
                if (closest is { Count: > 0 })
                {
                    errors.Add($"{at}: fits none of its {choice}; the closest: {string.Join("; ", closest.Take(3))}");
                }
            }
        }

        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        var ok = type switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!ok)
        {
            errors.Add($"{at}: a {value.ValueKind}, the contract says {type}");
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.ToString() == value.ToString()))
        {
            errors.Add($"{at}: '{value}' is not one of {string.Join(", ", values.EnumerateArray())}");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(n => !value.TryGetProperty(n, out _)))
                {
                    errors.Add($"{at}: required '{name}' is missing");
                }
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.TryGetProperty(property.Name, out var propertySchema))
                    {
                        Check(property.Value, propertySchema, $"{at}.{property.Name}", errors);
                    }
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, items, $"{at}[{index++}]", errors);
            }
        }
    }

    private List<string> Errors(JsonElement value, JsonElement schema, string at)
    {
        var errors = new List<string>();
        Check(value, schema, at, errors);
        return errors;
    }

    private static bool Flag(JsonElement schema, string name) => schema.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsSync.Core.Api;

/// <summary>JSON of the HTTP API: camelCase, enums as snake_case strings, nulls left out.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses a request body; a malformed one yields a 400 problem naming what is wrong.</summary>
    public static bool TryRead<T>(string? body, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out ApiResult? problem, bool allowEmpty = false)
        where T : class, new()
    {
        value = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            if (allowEmpty)
            {
                value = new T();
                return true;
            }

            problem = Problems.BadRequest("A JSON body is required.");
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize<T>(body, Options);
            if (value is null)
            {
                problem = Problems.BadRequest("The body must be a JSON object.");
                return false;
            }

            return true;
        }
        catch (JsonException ex)
        {
            problem = Problems.BadRequest($"The body is not valid JSON for this route: {ex.Message}");
            return false;
        }
    }
}

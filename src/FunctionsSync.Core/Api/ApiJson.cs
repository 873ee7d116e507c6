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
        AllowDuplicateProperties = false,
    };

    /// <summary>An enum value as the API writes it (<c>DataMismatch</c> → <c>data_mismatch</c>).</summary>
    public static string WireName<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The enum value whose <see cref="WireName{T}"/> is <paramref name="wire"/> (ignoring case, as the JSON reader does).</summary>
    public static bool TryParseWireName<T>(string wire, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(WireName(candidate), wire, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

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

using System.Net;
using System.Text;
using System.Text.Json;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>
/// What a run's error may say about an upstream answer: its status, and at most a short error message the marketplace
/// put in a JSON error field (<c>errors</c>, <c>error</c>, <c>message</c>, <c>error_description</c>), cut to
/// <see cref="MaxLength"/> printable characters. Never the body itself: a connection's address may point somewhere
/// that is not a marketplace (the outbound policy refuses the known cases), and run errors are read by the
/// organization's key.
/// </summary>
internal static class UpstreamReason
{
    public const int MaxLength = 100;

    private static readonly string[] MessageFields = ["errors", "error", "message", "error_description"];

    /// <summary>"401 Unauthorized", or "401 Unauthorized: Invalid API key or access token".</summary>
    public static string Of(HttpStatusCode status, string body)
    {
        var head = $"{(int)status} {Phrase(status)}";
        return MessageOf(body) is { Length: > 0 } message ? $"{head}: {message}" : head;
    }

    private static string Phrase(HttpStatusCode status) =>
        Enum.IsDefined(status) ? string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString())) : "";

    private static string? MessageOf(string body)
    {
        if (body.Length is 0 or > 64 * 1024 || body.TrimStart() is not ['{', ..])
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var field in MessageFields)
            {
                if (document.RootElement.TryGetProperty(field, out var value) && FirstText(value) is { } text)
                {
                    return Printable(text);
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>A string, or the first string of an array or object (Shopify's <c>errors</c> takes all three forms).</summary>
    private static string? FirstText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Array => value.EnumerateArray().Select(FirstText).FirstOrDefault(t => t is not null),
        JsonValueKind.Object => value.EnumerateObject().Select(p => FirstText(p.Value)).FirstOrDefault(t => t is not null),
        _ => null,
    };

    private static string Printable(string text)
    {
        var clean = new StringBuilder(MaxLength);
        foreach (var c in text)
        {
            if (clean.Length == MaxLength)
            {
                return clean.Append('…').ToString();
            }

            clean.Append(char.IsControl(c) || char.IsSurrogate(c) ? ' ' : c);
        }

        return clean.ToString().Trim();
    }
}

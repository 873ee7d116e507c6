using System.Text;

namespace FunctionsSync.Storage.Tables;

/// <summary>Table continuation tokens as opaque URL-safe strings for API paging.</summary>
internal static class Continuation
{
    private const string Marker = "t1:";

    public static string? Encode(string? token) =>
        token is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(Marker + token)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <exception cref="FormatException">Not a token this service handed out.</exception>
    public static string? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var base64 = value.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new FormatException("Not a continuation token.");
        }

        return text.StartsWith(Marker, StringComparison.Ordinal) && text.Length > Marker.Length ? text[Marker.Length..] : throw new FormatException("Not a continuation token.");
    }
}

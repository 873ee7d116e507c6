using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FunctionsSync.Core.Api;

/// <summary>Query-string values both hosts parse the same way, with the app's own problem when they are not valid.</summary>
public static class ApiQuery
{
    /// <summary>An optional whole number; absent is null, anything else but digits is a 400 naming the parameter.</summary>
    public static bool TryInt(string? raw, string name, out int? value, [NotNullWhen(false)] out ApiResult? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        problem = Problems.BadRequest($"{name} must be a whole number, 0 or more.", new Dictionary<string, string[]> { [name] = ["A whole number, 0 or more."] });
        return false;
    }
}

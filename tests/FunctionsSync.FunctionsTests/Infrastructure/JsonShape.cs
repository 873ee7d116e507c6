using System.Text.Json;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// Compares two JSON documents by shape: the same property names, the same kind of value at each path, array elements
/// compared with each other where both arrays have them. Values themselves (ids, times, counts) may differ.
/// </summary>
public static class JsonShape
{
    public static IReadOnlyList<string> Differences(JsonElement? left, JsonElement? right, string path = "$")
    {
        var differences = new List<string>();
        Compare(left, right, path, differences);
        return differences;
    }

    private static void Compare(JsonElement? left, JsonElement? right, string path, List<string> differences)
    {
        if (left is not { } a || right is not { } b)
        {
            if (left.HasValue != right.HasValue)
            {
                differences.Add($"{path}: {(left.HasValue ? "body" : "no body")} vs {(right.HasValue ? "body" : "no body")}");
            }

            return;
        }

        if (Kind(a) != Kind(b))
        {
            differences.Add($"{path}: {Kind(a)} vs {Kind(b)}");
            return;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var names = a.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                var others = b.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var name in names.Union(others).Order(StringComparer.Ordinal))
                {
                    if (!names.Contains(name) || !others.Contains(name))
                    {
                        differences.Add($"{path}.{name}: only on the {(names.Contains(name) ? "first" : "second")} host");
                        continue;
                    }

                    Compare(a.GetProperty(name), b.GetProperty(name), $"{path}.{name}", differences);
                }

                break;
            case JsonValueKind.Array:
                foreach (var (x, y) in a.EnumerateArray().Zip(b.EnumerateArray()))
                {
                    Compare(x, y, path + "[]", differences);
                }

                break;
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString().ToLowerInvariant(),
    };
}

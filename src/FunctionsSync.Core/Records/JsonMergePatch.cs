using System.Text.Json.Nodes;

namespace FunctionsSync.Core.Records;

/// <summary>JSON merge patch (RFC 7396, section 2), for an object target and an object patch.</summary>
public static class JsonMergePatch
{
    /// <summary>
    /// <paramref name="target"/> with <paramref name="patch"/> merged in: a member set to <c>null</c> is removed, an
    /// object merges into the target's member (an object, or a new one), anything else replaces it. Neither input changes.
    /// </summary>
    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonObject inner)
            {
                result[name] = Apply(result[name] as JsonObject ?? [], inner);
            }
            else
            {
                result[name] = value.DeepClone();
            }
        }

        return result;
    }
}

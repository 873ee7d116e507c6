using System.Text.Json;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// A <c>/v4/products/query</c> or <c>/stream</c> filter, as the query page documents it: <c>id</c>, <c>status</c> (one or
/// more values), combined with <c>and</c>, <c>or</c>, <c>not</c>; and <c>updatedSince</c> (a unix timestamp or
/// <c>{from, until}</c>), documented for updates and used on products by a public client (contracts/medipim). Any other
/// filter is refused, as the simulator cannot evaluate it.
/// </summary>
internal sealed class MedipimFilter(Func<SimStore, SimRef, bool> test)
{
    public bool Matches(SimStore store, SimRef at) => test(store, at);

    /// <summary>The filter, or the reason it is refused.</summary>
    public static (MedipimFilter? Filter, string? Invalid) Parse(JsonElement filter)
    {
        if (filter.ValueKind != JsonValueKind.Object || filter.EnumerateObject().Count() != 1)
        {
            return (null, "a filter is an object with one key");
        }

        var entry = filter.EnumerateObject().Single();
        switch (entry.Name)
        {
            case "and" or "or" when entry.Value.ValueKind == JsonValueKind.Array:
                var parts = new List<MedipimFilter>();
                foreach (var part in entry.Value.EnumerateArray())
                {
                    var (parsed, invalid) = Parse(part);
                    if (parsed is null)
                    {
                        return (null, invalid);
                    }

                    parts.Add(parsed);
                }

                return entry.Name == "and"
                    ? (new((s, at) => parts.All(p => p.Matches(s, at))), null)
                    : (new((s, at) => parts.Any(p => p.Matches(s, at))), null);
            case "not":
                var (inner, why) = Parse(entry.Value);
                return inner is null ? (null, why) : (new((s, at) => !inner.Matches(s, at)), null);
            case "status":
                var statuses = Values(entry.Value);
                return statuses.Count == 0 || statuses.Any(v => v is not ("active" or "replaced" or "inactive"))
                    ? (null, "status takes \"active\", \"replaced\" or \"inactive\"")
                    : (new((s, at) => statuses.Contains(SimMedipim.Status(s, at.Index))), null);
            case "id":
                var ids = Values(entry.Value);
                return ids.Count == 0 ? (null, "id takes one or more product ids") : (new((_, at) => ids.Contains(SimMedipim.Id(at.Index))), null);
            case "updatedSince":
                if (entry.Value.ValueKind == JsonValueKind.Number && entry.Value.TryGetInt64(out var since))
                {
                    return (new((_, at) => at.UpdatedAt.ToUnixTimeSeconds() >= since), null);
                }

                if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("from", out var from) && from.TryGetInt64(out var lower))
                {
                    var upper = entry.Value.TryGetProperty("until", out var until) && until.TryGetInt64(out var u) ? u : long.MaxValue;
                    return (new((_, at) => at.UpdatedAt.ToUnixTimeSeconds() >= lower && at.UpdatedAt.ToUnixTimeSeconds() <= upper), null);
                }

                return (null, "updatedSince takes a unix timestamp or {from, until}");
            default:
                return (null, $"unknown filter '{entry.Name}'");
        }
    }

    private static HashSet<string> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)],
        _ => [],
    };
}

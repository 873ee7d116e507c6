using System.Diagnostics.CodeAnalysis;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Api;

/// <summary>The <c>entityTypes</c> of a request body, read the same way by every endpoint that names feeds.</summary>
public static class FeedSelection
{
    /// <summary>The named entity types; a name that is none is a 400 naming it.</summary>
    public static bool TryRead(IEnumerable<string>? names, out List<EntityType> types, [NotNullWhen(false)] out ApiResult? problem)
    {
        types = [];
        problem = null;
        foreach (var name in names ?? [])
        {
            if (!EntityTypes.TryParse(name, out var type))
            {
                problem = Problems.BadRequest($"Unknown entity type '{name}'.", new Dictionary<string, string[]> { ["entityTypes"] = ["orders, customers, products or prices"] });
                return false;
            }

            types.Add(type.Value);
        }

        return true;
    }

    /// <summary>
    /// The feeds <paramref name="asked"/> (<see cref="TryRead"/>) of a connection in run order, or every feed its marketplace has when none is named; a feed the
    /// marketplace does not have is a 400 listing those it has.
    /// </summary>
    public static bool TryResolve(
        IReadOnlyList<EntityType> asked, string marketplace, IReadOnlySet<EntityType> supported, out IReadOnlyList<EntityType> types, [NotNullWhen(false)] out ApiResult? problem)
    {
        types = [];
        problem = null;
        if (asked.Where(t => !supported.Contains(t)).Select(t => (EntityType?)t).FirstOrDefault() is { } unsupported)
        {
            problem = Problems.BadRequest(
                $"{marketplace} has no {unsupported.ToWire()} feed.",
                new Dictionary<string, string[]> { ["entityTypes"] = [string.Join(", ", EntityTypes.InRunOrder([.. supported]).Select(t => t.ToWire()))] });
            return false;
        }

        types = EntityTypes.InRunOrder(asked.Count > 0 ? [.. asked.Distinct()] : [.. supported]);
        return true;
    }
}

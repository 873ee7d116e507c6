using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace FunctionsSync.Core.Api;

/// <summary>
/// Finds the route of <see cref="ApiRoutes"/> a method and path below <c>/api</c> name, for a host that routes every
/// request under <c>/api</c> to one entry point (the Functions app's API trigger). Literal segments rank before
/// parameters, as ASP.NET Core's routing ranks them on the self-hosted runtime.
/// </summary>
public static class ApiRouteMatcher
{
    private static readonly IReadOnlyList<(ApiRoute Route, TemplateMatcher Matcher)> Routes = [.. ApiRoutes.All
        .OrderBy(r => r.Template.Split('/').Count(s => s.StartsWith('{')))
        .Select(r => (r, new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary())))];

    /// <param name="path">The path below <c>/api</c>, decoded (<c>/connections/c-1</c>).</param>
    public static bool TryMatch(string method, PathString path, out ApiRoute? route, out IReadOnlyDictionary<string, string> values)
    {
        foreach (var (candidate, matcher) in Routes)
        {
            var matched = new RouteValueDictionary();
            if (HttpMethods.Equals(candidate.Verb, method) && matcher.TryMatch(path, matched))
            {
                route = candidate;
                values = matched.ToDictionary(v => v.Key, v => v.Value?.ToString() ?? "");
                return true;
            }
        }

        route = null;
        values = new Dictionary<string, string>();
        return false;
    }

    /// <summary>The verbs some route takes at <paramref name="path"/> (below <c>/api</c>, decoded), for a 405.</summary>
    public static IReadOnlyList<string> VerbsAt(PathString path) =>
        [.. Routes.Where(r => r.Matcher.TryMatch(path, new RouteValueDictionary())).Select(r => r.Route.Verb).Distinct().Order()];
}

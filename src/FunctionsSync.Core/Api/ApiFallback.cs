namespace FunctionsSync.Core.Api;

/// <summary>
/// The answer for a request under <c>/api</c> that no route of the table serves, the same on both hosts: 405 naming the
/// verbs the path does take, else 404. In the app's own problem shape, not the framework's bare status.
/// </summary>
public static class ApiFallback
{
    /// <param name="path">The path below <c>/api/</c>, escaped as received.</param>
    public static ApiResult Answer(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        var verbs = ApiRoutes.All.Where(r => Matches(r.Template, segments)).Select(r => r.Verb).Distinct().Order().ToList();
        var shown = Problems.Printable("/" + ApiRoutes.Prefix + "/" + path.TrimStart('/'));
        return verbs.Count > 0
            ? Problems.MethodNotAllowed($"{shown} takes {string.Join(", ", verbs)}, not {Problems.Printable(method)}.")
            : Problems.NotFound($"There is no route {shown}; the API's routes are listed in the README.");
    }

    private static bool Matches(string template, string[] segments)
    {
        var parts = template.Split('/');
        return parts.Length == segments.Length && parts.Zip(segments).All(p => p.Second.Length > 0 && (p.First.StartsWith('{') || p.First.Equals(p.Second, StringComparison.OrdinalIgnoreCase)));
    }
}

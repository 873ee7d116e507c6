using Microsoft.AspNetCore.Http;

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
        var verbs = ApiRouteMatcher.VerbsAt(PathString.FromUriComponent("/" + path.Trim('/')));
        var shown = Problems.Printable("/" + ApiRoutes.Prefix + "/" + path.TrimStart('/'));
        return verbs.Count > 0
            ? Problems.MethodNotAllowed($"{shown} takes {string.Join(", ", verbs)}, not {Problems.Printable(method)}.")
            : Problems.NotFound($"There is no route {shown}; the API's routes are listed in its OpenAPI document.");
    }
}

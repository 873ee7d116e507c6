using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// What the Functions host does with a request under <c>/api</c>: hands it to the one API trigger (the page triggers
/// take other paths), with the Durable client bound, on a real HttpContext. Lets one client script run unchanged
/// against both hosts.
/// </summary>
public sealed class FunctionsRouter(FunctionsApp app)
{
    /// <summary>Routes of the table each call reached, as the trigger matched them.</summary>
    public HashSet<ApiRoute> Matched { get; } = [];

    public async Task<HttpAnswer> SendAsync(string method, string path, object? body, string? key, string contentType = "application/json")
    {
        var pathOnly = path.Split('?')[0];
        if (!PathString.FromUriComponent(pathOnly).StartsWithSegments("/" + ApiRoutes.Prefix, out var rest))
        {
            throw new ArgumentException($"{path} is not under /api");
        }

        if (ApiRouteMatcher.TryMatch(method, rest, out var route, out _))
        {
            Matched.Add(route!);
        }

        var function = app.Function<Functions.Http.ApiFunction>();
        return await HttpCall.InvokeAsync(request => function.RunAsync(request, app.Client), method, path, body, key, contentType);
    }
}

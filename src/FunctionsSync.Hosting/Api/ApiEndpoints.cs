using System.Globalization;
using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Hosting.Api;

/// <summary>
/// The HTTP API on the self-hosted runtime: an endpoint per route of <see cref="ApiRoutes"/>, each running Core's
/// <see cref="ApiPipeline"/> and writing its answer with <see cref="ApiResponses"/> (the Functions app runs the same two).
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapFunctionsSyncApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/" + ApiRoutes.Prefix);

        // One endpoint per template and name (GET and HEAD of health share one), described from the table.
        foreach (var routes in ApiRoutes.All.GroupBy(r => (r.Name, r.Template)).Select(g => g.ToList()))
        {
            var endpoint = api.MapMethods(routes[0].Template, routes.Select(r => r.Verb), (Delegate)((HttpContext http) => InvokeAsync(http, routes)));
            ApiDescriptions.Describe(endpoint, routes);
        }

        // Anything else under /api: the same 404/405 problem as the Functions app answers.
        app.MapFallback("/" + ApiRoutes.Prefix + "/{**path}", (HttpContext http, string? path) => ApiResponses.WriteAsync(http, ApiFallback.Answer(http.Request.Method, path ?? "")));
        return app;
    }

    private static async Task InvokeAsync(HttpContext http, IReadOnlyList<ApiRoute> routes)
    {
        var route = routes.First(r => HttpMethods.Equals(r.Verb, http.Request.Method));
        var values = http.Request.RouteValues.ToDictionary(v => v.Key, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "");
        var result = await http.RequestServices.GetRequiredService<ApiPipeline>().InvokeAsync(http, route, values, http.RequestServices);
        await ApiResponses.WriteAsync(http, result);
    }
}

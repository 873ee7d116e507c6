using FunctionsSync.Hosting;

namespace FunctionsSync.SelfHosted.Api;

/// <summary>The dashboard page at <c>/</c> and its files at <c>/dashboard/{file}</c> (no key: the page asks for one).</summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapFunctionsSyncDashboard(this IEndpointRouteBuilder app)
    {
        // Pages, not the API: left out of the OpenAPI document (which the Functions app serves too).
        app.MapGet("/", (HttpContext http) => Serve(http, null)).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (HttpContext http, string file) => Serve(http, file)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string? file)
    {
        if (!DashboardAssets.TryGet(file, out var content, out var contentType))
        {
            return Results.NotFound();
        }

        http.Response.Headers.ContentSecurityPolicy = DashboardAssets.ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(content, contentType);
    }
}

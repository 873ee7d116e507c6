using FunctionsSync.Hosting;

namespace FunctionsSync.SelfHosted.Api;

/// <summary>
/// The dashboard page at <c>/</c> and its files at <c>/dashboard/{file}</c> (no key: the page asks for one), and the
/// API reference at <c>/reference</c> with its scripts at <c>/reference/{file}</c>.
/// </summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapFunctionsSyncDashboard(this IEndpointRouteBuilder app)
    {
        // Pages, not the API: left out of the OpenAPI document (which the Functions app serves too).
        app.MapGet("/", (HttpContext http) => Serve(http, null)).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (HttpContext http, string file) => Serve(http, file)).ExcludeFromDescription();
        app.MapGet("/reference", (HttpContext http) => ServeReference(http, null)).ExcludeFromDescription();
        app.MapGet("/reference/{file}", (HttpContext http, string file) => ServeReference(http, file)).ExcludeFromDescription();
        return app;
    }

    private static IResult ServeReference(HttpContext http, string? file)
    {
        if (!ApiReferenceAssets.TryGet(file, ApiReferenceAssets.AcceptsGzip(http.Request.Headers.AcceptEncoding), out var asset))
        {
            return Results.NotFound();
        }

        PageHeaders.Apply(http.Response.Headers, ApiReferenceAssets.ContentSecurityPolicy, asset.Gzipped);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static IResult Serve(HttpContext http, string? file)
    {
        if (!DashboardAssets.TryGet(file, out var content, out var contentType))
        {
            return Results.NotFound();
        }

        PageHeaders.Apply(http.Response.Headers, DashboardAssets.ContentSecurityPolicy);
        return Results.Bytes(content, contentType);
    }
}

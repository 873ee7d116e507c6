using FunctionsSync.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

/// <summary>
/// The interactive API reference at <c>/api/reference</c> (the same files as the self-hosted runtime's
/// <c>/reference</c>), reading <c>/api/openapi/v1.json</c>. Not a route of the API table, and without a key, as the document.
/// </summary>
public sealed class ApiReferenceFunction
{
    public const string Name = "ApiReference";

    [Function(Name)]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reference/{*file}")] HttpRequest request, string? file)
    {
        if (!ApiReferenceAssets.TryGet(file, ApiReferenceAssets.AcceptsGzip(request.Headers.AcceptEncoding), out var asset))
        {
            return new NotFoundResult();
        }

        PageHeaders.Apply(request.HttpContext.Response.Headers, ApiReferenceAssets.ContentSecurityPolicy, asset.Gzipped);
        return new FileContentResult(asset.Content, asset.ContentType);
    }
}

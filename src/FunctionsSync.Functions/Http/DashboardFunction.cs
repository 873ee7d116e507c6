using FunctionsSync.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

/// <summary>
/// The dashboard at <c>/api/dashboard</c> (the same files as the self-hosted runtime's <c>/</c>). Not a route of the
/// API table: a page, without a key (it asks for one). Its live view polls <c>/api/events</c> here, since each answer ends.
/// </summary>
public sealed class DashboardFunction
{
    public const string Name = "Dashboard";

    [Function(Name)]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*file}")] HttpRequest request, string? file)
    {
        if (!DashboardAssets.TryGet(file, out var content, out var contentType))
        {
            return new NotFoundResult();
        }

        PageHeaders.Apply(request.HttpContext.Response.Headers, DashboardAssets.ContentSecurityPolicy);
        return new FileContentResult(content, contentType);
    }
}

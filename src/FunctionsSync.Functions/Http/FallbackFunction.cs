using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

/// <summary>
/// Every request under <c>/api</c> that no other trigger takes (the host's routing ranks a catch-all last): a 404 or
/// 405 problem, as the self-hosted runtime answers, instead of the host's empty 404. Not a route of the table.
/// </summary>
public sealed class FallbackFunction
{
    public const string Name = "Fallback";

    [Function(Name)]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request,
        string? path) =>
        HttpApi.ToActionResult(request, ApiFallback.Answer(request.Method, path ?? ""));
}

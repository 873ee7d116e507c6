using FunctionsSync.Hosting.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

/// <summary>
/// The OpenAPI document at <c>/api/openapi/v1.json</c>: the same document the self-hosted runtime serves at
/// <c>/openapi/v1.json</c> (<see cref="ApiDocument"/>). Not a route of the API table, and without a key, as there.
/// </summary>
public sealed class OpenApiFunction(ApiDocument document)
{
    public const string Name = "OpenApi";

    [Function(Name)]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest request) =>
        new ContentResult { Content = await document.JsonAsync(), ContentType = "application/json; charset=utf-8", StatusCode = 200 };
}

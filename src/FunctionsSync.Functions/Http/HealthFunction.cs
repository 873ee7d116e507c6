using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

public sealed class HealthFunction(HealthApi health)
{
    [Function("Health")]
    public async Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ApiRoutes.Health)] HttpRequest request) =>
        HttpApi.ToActionResult(request, await health.GetAsync(request.HttpContext.RequestAborted));
}

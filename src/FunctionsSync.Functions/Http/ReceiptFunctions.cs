using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

/// <summary>The push path: the body's sync token authenticates, so there is no API-key check.</summary>
public sealed class ReceiptFunctions(HttpApi http, ReceiptsApi api)
{
    [Function("OrdersImport")]
    public Task<IActionResult> ImportAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OrdersImport)] HttpRequest request) =>
        http.WithBodyAsync(request, async () => await api.ImportAsync(await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));
}

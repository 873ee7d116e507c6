using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

/// <summary>
/// <c>GET /api/events</c> on Functions: each response carries the events after the client's position and ends (a
/// function invocation is not held open for minutes); the browser's EventSource reconnects after <c>retry</c> with
/// <c>Last-Event-ID</c>, which makes it a long poll over the same log every replica writes.
/// </summary>
public sealed class EventFunctions(HttpApi http, EventsApi api)
{
    [Function("Events")]
    public Task<IActionResult> EventsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Events)] HttpRequest request) =>
        http.WithCallerAsync(request, caller => api.ReadOnceAsync(
            caller,
            request.Query["organizationId"].FirstOrDefault(),
            request.Headers["Last-Event-ID"].FirstOrDefault() ?? request.Query["lastEventId"].FirstOrDefault(),
            request.HttpContext.RequestAborted));
}

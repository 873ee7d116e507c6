using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

public sealed class WebhookFunctions(HttpApi http, WebhooksApi api)
{
    [Function("WebhookCreate")]
    public Task<IActionResult> CreateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Webhooks)] HttpRequest request) =>
        http.WithCallerAsync(request, async caller => await api.CreateAsync(caller, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));

    [Function("WebhookList")]
    public Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Webhooks)] HttpRequest request) =>
        http.WithCallerAsync(request, caller => api.ListAsync(caller, request.Query["organizationId"].FirstOrDefault(), request.HttpContext.RequestAborted));

    [Function("WebhookGet")]
    public Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Webhook)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.GetAsync(caller, id, request.HttpContext.RequestAborted));

    [Function("WebhookPatch")]
    public Task<IActionResult> PatchAsync([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = ApiRoutes.Webhook)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, async caller => await api.PatchAsync(caller, id, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));

    [Function("WebhookDelete")]
    public Task<IActionResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Webhook)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.DeleteAsync(caller, id, request.HttpContext.RequestAborted));

    [Function("WebhookRotateSecret")]
    public Task<IActionResult> RotateSecretAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.WebhookSecret)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.RotateSecretAsync(caller, id, request.HttpContext.RequestAborted));

    [Function("WebhookDeliveries")]
    public Task<IActionResult> DeliveriesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.WebhookDeliveries)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.DeliveriesAsync(caller, id, request.HttpContext.RequestAborted));

    [Function("WebhookReplay")]
    public Task<IActionResult> ReplayAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.WebhookReplay)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.ReplayAsync(caller, id, request.HttpContext.RequestAborted));
}

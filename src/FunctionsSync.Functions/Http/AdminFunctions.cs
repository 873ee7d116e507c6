using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.Functions.Http;

public sealed class AdminFunctions(HttpApi http, AdminApi api)
{
    [Function("AdminIssueKey")]
    public Task<IActionResult> IssueKeyAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.AdminKeys)] HttpRequest request) =>
        http.WithCallerAsync(request, async caller => await api.IssueKeyAsync(caller, await HttpApi.BodyAsync(request), request.HttpContext.RequestAborted));

    [Function("AdminListKeys")]
    public Task<IActionResult> ListKeysAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AdminKeys)] HttpRequest request) =>
        http.WithCallerAsync(request, caller => api.ListKeysAsync(caller, request.Query["organizationId"].FirstOrDefault(), request.HttpContext.RequestAborted));

    [Function("AdminRevokeKey")]
    public Task<IActionResult> RevokeKeyAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.AdminKey)] HttpRequest request, string id) =>
        http.WithCallerAsync(request, caller => api.RevokeKeyAsync(caller, id, request.HttpContext.RequestAborted));
}

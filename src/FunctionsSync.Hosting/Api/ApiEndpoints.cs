using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Hosting.Api;

/// <summary>The HTTP API: thin routes over Core's handlers (the Functions app maps the same handlers).</summary>
public static class ApiEndpoints
{
    private const string CallerKey = "FunctionsSync.Caller";
    private const string BodyKey = "FunctionsSync.Body";

    /// <summary>Maps every route of <see cref="ApiRoutes"/> (the Functions app's triggers name the same constants).</summary>
    public static IEndpointRouteBuilder MapFunctionsSyncApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/" + ApiRoutes.Prefix).AddEndpointFilter(ReadBodyAsync);
        ((IEndpointConventionBuilder)open).Add(ApiDescriptions.Describe);
        open.MapMethods(ApiRoutes.Health, ["GET", "HEAD"], async (HealthApi api, CancellationToken ct) => ToResult(await api.GetAsync(ct)));

        // The push path authenticates with the connection's sync token in the body, not an API key.
        open.MapPost(ApiRoutes.OrdersImport, async (HttpContext http, ReceiptsApi h, CancellationToken ct) => ToResult(await h.ImportAsync(await BodyAsync(http), ct)));

        // Authentication first: an unauthenticated request's body is never read.
        var api = app.MapGroup("/" + ApiRoutes.Prefix).AddEndpointFilter(AuthenticateAsync).AddEndpointFilter(ReadBodyAsync);
        ((IEndpointConventionBuilder)api).Add(ApiDescriptions.Describe);

        // Anything else under /api: the same 404/405 problem as the Functions app's fallback trigger.
        app.MapFallback("/" + ApiRoutes.Prefix + "/{**path}", (HttpContext http, string? path) => ToResult(ApiFallback.Answer(http.Request.Method, path ?? "")));

        api.MapGet(ApiRoutes.SyncStatus, async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.StatusAsync(Caller(http), ct)));
        api.MapPost(ApiRoutes.SyncStart, async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.SetEnabledAsync(Caller(http), true, ct)));
        api.MapPost(ApiRoutes.SyncStop, async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.SetEnabledAsync(Caller(http), false, ct)));
        api.MapPost(ApiRoutes.SyncInterval, async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.SetIntervalAsync(Caller(http), await BodyAsync(http), ct)));
        api.MapPost(ApiRoutes.SyncTrigger, async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.TriggerAsync(Caller(http), await BodyAsync(http), ct)));
        api.MapPost(ApiRoutes.SyncRunFull, async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.RunFullAsync(Caller(http), await BodyAsync(http), ct)));

        api.MapGet(ApiRoutes.Runs, async (HttpContext http, RunListApi h, string? status, string? organizationId, string? take, CancellationToken ct) =>
            ToResult(ApiQuery.TryInt(take, "take", out var count, out var problem) ? await h.ListAsync(Caller(http), status, organizationId, count, ct) : problem));
        api.MapGet(ApiRoutes.Run, async (HttpContext http, RunsApi h, string runId, CancellationToken ct) => ToResult(await h.GetAsync(Caller(http), runId, ct)));
        api.MapPost(ApiRoutes.RunPause, async (HttpContext http, RunsApi h, string runId, CancellationToken ct) => ToResult(await h.PauseAsync(Caller(http), runId, ct)));
        api.MapPost(ApiRoutes.RunResume, async (HttpContext http, RunsApi h, string runId, CancellationToken ct) => ToResult(await h.ResumeAsync(Caller(http), runId, ct)));
        api.MapPost(ApiRoutes.RunCancel, async (HttpContext http, RunsApi h, string runId, CancellationToken ct) => ToResult(await h.CancelAsync(Caller(http), runId, ct)));

        api.MapPost(ApiRoutes.Connections, async (HttpContext http, ConnectionsApi h, CancellationToken ct) => ToResult(await h.RegisterAsync(Caller(http), await BodyAsync(http), ct)));
        api.MapGet(ApiRoutes.Connections, async (HttpContext http, ConnectionsApi h, string? organizationId, string? health, CancellationToken ct) =>
            ToResult(await h.ListAsync(Caller(http), organizationId, health, ct)));
        api.MapGet(ApiRoutes.Connection, async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.GetAsync(Caller(http), id, ct)));
        api.MapPost(ApiRoutes.ConnectionSyncToken, async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.RotateSyncTokenAsync(Caller(http), id, ct)));
        api.MapGet(ApiRoutes.ConnectionStatus, async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.StatusAsync(Caller(http), id, ct)));
        api.MapPatch(ApiRoutes.Connection, async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.PatchAsync(Caller(http), id, await BodyAsync(http), ct)));
        api.MapDelete(ApiRoutes.Connection, async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.DeleteAsync(Caller(http), id, ct)));
        api.MapGet(ApiRoutes.ConnectionActivity, async (HttpContext http, ActivityApi h, string id, string? take, CancellationToken ct) =>
            ToResult(ApiQuery.TryInt(take, "take", out var count, out var problem) ? await h.ListAsync(Caller(http), id, count, ct) : problem));
        api.MapGet(ApiRoutes.ConnectionRuns, async (HttpContext http, ConnectionsApi h, string id, string? pageSize, string? continuationToken, CancellationToken ct) =>
            ToResult(ApiQuery.TryInt(pageSize, "pageSize", out var size, out var problem) ? await h.RunsAsync(Caller(http), id, size, continuationToken, ct) : problem));
        api.MapGet(ApiRoutes.Records, async (HttpContext http, RecordsApi h, string id, string entityType, string? pageSize, string? continuationToken, CancellationToken ct) =>
            ToResult(ApiQuery.TryInt(pageSize, "pageSize", out var size, out var problem) ? await h.ListAsync(Caller(http), id, entityType, size, continuationToken, ct) : problem));
        api.MapGet(ApiRoutes.Record, async (HttpContext http, RecordsApi h, string id, string entityType, string externalId, CancellationToken ct) =>
            ToResult(await h.GetAsync(Caller(http), id, entityType, externalId, ct)));
        api.MapPut(ApiRoutes.Record, async (HttpContext http, RecordsApi h, string id, string entityType, string externalId, CancellationToken ct) =>
            ToResult(await h.EditAsync(Caller(http), id, entityType, externalId, await BodyAsync(http), ct)));

        api.MapGet(ApiRoutes.Conflicts, async (HttpContext http, ConflictsApi h, string? organizationId, string? connectionId, string? status, string? pageSize, string? continuationToken, CancellationToken ct) =>
            ToResult(ApiQuery.TryInt(pageSize, "pageSize", out var size, out var problem)
                ? await h.ListAsync(Caller(http), organizationId, connectionId, status, size, continuationToken, ct)
                : problem));
        api.MapGet(ApiRoutes.Conflict, async (HttpContext http, ConflictsApi h, string id, CancellationToken ct) => ToResult(await h.GetAsync(Caller(http), id, ct)));
        api.MapPost(ApiRoutes.ConflictResolve, async (HttpContext http, ConflictsApi h, string id, CancellationToken ct) => ToResult(await h.ResolveAsync(Caller(http), id, await BodyAsync(http), ct)));

        api.MapPost(ApiRoutes.Webhooks, async (HttpContext http, WebhooksApi h, CancellationToken ct) => ToResult(await h.CreateAsync(Caller(http), await BodyAsync(http), ct)));
        api.MapGet(ApiRoutes.Webhooks, async (HttpContext http, WebhooksApi h, string? organizationId, CancellationToken ct) => ToResult(await h.ListAsync(Caller(http), organizationId, ct)));
        api.MapGet(ApiRoutes.Webhook, async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.GetAsync(Caller(http), id, ct)));
        api.MapPatch(ApiRoutes.Webhook, async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.PatchAsync(Caller(http), id, await BodyAsync(http), ct)));
        api.MapDelete(ApiRoutes.Webhook, async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.DeleteAsync(Caller(http), id, ct)));
        api.MapPost(ApiRoutes.WebhookSecret, async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.RotateSecretAsync(Caller(http), id, ct)));
        api.MapGet(ApiRoutes.WebhookDeliveries, async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.DeliveriesAsync(Caller(http), id, ct)));
        api.MapPost(ApiRoutes.WebhookReplay, async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.ReplayAsync(Caller(http), id, ct)));

        api.MapGet(ApiRoutes.Events, EventStream.StreamAsync);

        api.MapPost(ApiRoutes.AdminKeys, async (HttpContext http, AdminApi h, CancellationToken ct) => ToResult(await h.IssueKeyAsync(Caller(http), await BodyAsync(http), ct)));
        api.MapGet(ApiRoutes.AdminKeys, async (HttpContext http, AdminApi h, string? organizationId, CancellationToken ct) => ToResult(await h.ListKeysAsync(Caller(http), organizationId, ct)));
        api.MapDelete(ApiRoutes.AdminKey, async (HttpContext http, AdminApi h, string id, CancellationToken ct) => ToResult(await h.RevokeKeyAsync(Caller(http), id, ct)));
        return app;
    }

    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authenticator = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        var caller = await authenticator.AuthenticateAsync(http.Request.Headers[ApiKeyAuthenticator.HeaderName], http.RequestAborted);
        if (caller is null)
        {
            return ToResult(Problems.Unauthorized());
        }

        http.Items[CallerKey] = caller;
        return await next(context);
    }

    internal static ApiCaller Caller(HttpContext http) => (ApiCaller)http.Items[CallerKey]!;

    /// <summary>
    /// Reads the body once, raw, so Core turns malformed JSON into the same problem on every host: 415 unless JSON, 413
    /// beyond <c>Api:MaxBodyBytes</c> (by its length, or while reading one sent without).
    /// </summary>
    private static async ValueTask<object?> ReadBodyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var (body, problem) = await ApiBodies.ReadRequestAsync(
            request.Method, request.ContentType, request.ContentLength, request.Headers.TransferEncoding.Count > 0, request.Body,
            http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes, http.RequestAborted);
        if (problem is not null)
        {
            return ToResult(problem);
        }

        http.Items[BodyKey] = body;
        return await next(context);
    }

    private static Task<string?> BodyAsync(HttpContext http) => Task.FromResult(http.Items[BodyKey] as string);

    public static IResult ToResult(ApiResult result)
    {
        if (result.Body is null)
        {
            return Results.StatusCode(result.Status);
        }

        if (result.Body is RawBody raw)
        {
            return Results.Text(raw.Text, raw.ContentType, statusCode: result.Status);
        }

        var json = Results.Json(result.Body, ApiJson.Options, result.IsProblem ? "application/problem+json" : "application/json", result.Status);
        return result.Headers().Any() ? new WithHeaders(json, result) : json;
    }

    private sealed class WithHeaders(IResult inner, ApiResult result) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            foreach (var (name, value) in result.Headers())
            {
                httpContext.Response.Headers[name] = value;
            }

            return inner.ExecuteAsync(httpContext);
        }
    }
}

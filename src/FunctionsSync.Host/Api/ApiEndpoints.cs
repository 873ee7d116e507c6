using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;

namespace FunctionsSync.Host.Api;

/// <summary>The HTTP API: thin routes over Core's handlers (the Functions app maps the same handlers).</summary>
public static class ApiEndpoints
{
    private const string CallerKey = "FunctionsSync.Caller";

    public static IEndpointRouteBuilder MapFunctionsSyncApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", async (HealthApi api, CancellationToken ct) => ToResult(await api.GetAsync(ct)));

        // The push path authenticates with the connection's sync token in the body, not an API key.
        app.MapPost("/api/orders/import", async (HttpContext http, ReceiptsApi h, CancellationToken ct) => ToResult(await h.ImportAsync(await BodyAsync(http), ct)));

        var api = app.MapGroup("/api").AddEndpointFilter(AuthenticateAsync);

        var sync = api.MapGroup("/sync");
        sync.MapGet("/status", async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.StatusAsync(Caller(http), ct)));
        sync.MapPost("/start", async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.SetEnabledAsync(Caller(http), true, ct)));
        sync.MapPost("/stop", async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.SetEnabledAsync(Caller(http), false, ct)));
        sync.MapPost("/interval", async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.SetIntervalAsync(Caller(http), await BodyAsync(http), ct)));
        sync.MapPost("/trigger", async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.TriggerAsync(Caller(http), await BodyAsync(http), ct)));
        sync.MapPost("/run-full", async (HttpContext http, SyncApi h, CancellationToken ct) => ToResult(await h.RunFullAsync(Caller(http), ct)));

        api.MapGet("/runs/{runId}", async (HttpContext http, RunsApi h, string runId, CancellationToken ct) => ToResult(await h.GetAsync(Caller(http), runId, ct)));
        api.MapPost("/runs/{runId}/pause", async (HttpContext http, RunsApi h, string runId, CancellationToken ct) => ToResult(await h.PauseAsync(Caller(http), runId, ct)));
        api.MapPost("/runs/{runId}/resume", async (HttpContext http, RunsApi h, string runId, CancellationToken ct) => ToResult(await h.ResumeAsync(Caller(http), runId, ct)));
        api.MapPost("/runs/{runId}/cancel", async (HttpContext http, RunsApi h, string runId, CancellationToken ct) => ToResult(await h.CancelAsync(Caller(http), runId, ct)));

        var connections = api.MapGroup("/connections");
        connections.MapPost("", async (HttpContext http, ConnectionsApi h, CancellationToken ct) => ToResult(await h.RegisterAsync(Caller(http), await BodyAsync(http), ct)));
        connections.MapGet("", async (HttpContext http, ConnectionsApi h, string? organizationId, CancellationToken ct) => ToResult(await h.ListAsync(Caller(http), organizationId, ct)));
        connections.MapGet("/{id}", async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.GetAsync(Caller(http), id, ct)));
        connections.MapGet("/{id}/status", async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.StatusAsync(Caller(http), id, ct)));
        connections.MapPatch("/{id}", async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.PatchAsync(Caller(http), id, await BodyAsync(http), ct)));
        connections.MapDelete("/{id}", async (HttpContext http, ConnectionsApi h, string id, CancellationToken ct) => ToResult(await h.DeleteAsync(Caller(http), id, ct)));
        connections.MapGet("/{id}/activity", async (HttpContext http, ActivityApi h, string id, int? take, CancellationToken ct) => ToResult(await h.ListAsync(Caller(http), id, take, ct)));
        connections.MapGet("/{id}/records/{entityType}/{externalId}", async (HttpContext http, RecordsApi h, string id, string entityType, string externalId, CancellationToken ct) =>
            ToResult(await h.GetAsync(Caller(http), id, entityType, externalId, ct)));
        connections.MapPut("/{id}/records/{entityType}/{externalId}", async (HttpContext http, RecordsApi h, string id, string entityType, string externalId, CancellationToken ct) =>
            ToResult(await h.EditAsync(Caller(http), id, entityType, externalId, await BodyAsync(http), ct)));

        var conflicts = api.MapGroup("/conflicts");
        conflicts.MapGet("", async (HttpContext http, ConflictsApi h, string? organizationId, string? connectionId, string? status, int? pageSize, string? continuationToken, CancellationToken ct) =>
            ToResult(await h.ListAsync(Caller(http), organizationId, connectionId, status, pageSize, continuationToken, ct)));
        conflicts.MapGet("/{id}", async (HttpContext http, ConflictsApi h, string id, CancellationToken ct) => ToResult(await h.GetAsync(Caller(http), id, ct)));
        conflicts.MapPost("/{id}/resolve", async (HttpContext http, ConflictsApi h, string id, CancellationToken ct) => ToResult(await h.ResolveAsync(Caller(http), id, await BodyAsync(http), ct)));

        var webhooks = api.MapGroup("/webhooks");
        webhooks.MapPost("", async (HttpContext http, WebhooksApi h, CancellationToken ct) => ToResult(await h.CreateAsync(Caller(http), await BodyAsync(http), ct)));
        webhooks.MapGet("", async (HttpContext http, WebhooksApi h, string? organizationId, CancellationToken ct) => ToResult(await h.ListAsync(Caller(http), organizationId, ct)));
        webhooks.MapDelete("/{id}", async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.DeleteAsync(Caller(http), id, ct)));
        webhooks.MapGet("/{id}/deliveries", async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.DeliveriesAsync(Caller(http), id, ct)));
        webhooks.MapPost("/deliveries/{id}/replay", async (HttpContext http, WebhooksApi h, string id, CancellationToken ct) => ToResult(await h.ReplayAsync(Caller(http), id, ct)));

        api.MapPost("/admin/keys", async (HttpContext http, AdminApi h, CancellationToken ct) => ToResult(await h.IssueKeyAsync(Caller(http), await BodyAsync(http), ct)));
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

    private static ApiCaller Caller(HttpContext http) => (ApiCaller)http.Items[CallerKey]!;

    /// <summary>Bodies are read raw so Core turns malformed JSON into the same problem on every host.</summary>
    private static async Task<string?> BodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength == 0)
        {
            return null;
        }

        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        return body.Length == 0 ? null : body;
    }

    public static IResult ToResult(ApiResult result)
    {
        if (result.Body is null)
        {
            return Results.StatusCode(result.Status);
        }

        var json = Results.Json(result.Body, ApiJson.Options, result.IsProblem ? "application/problem+json" : "application/json", result.Status);
        return result.Location is null || result.Status != StatusCodes.Status201Created ? json : new WithLocation(json, result.Location);
    }

    private sealed class WithLocation(IResult inner, string location) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}

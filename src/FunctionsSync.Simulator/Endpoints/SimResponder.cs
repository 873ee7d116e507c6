using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// The path every data request takes: store lookup, credentials, the marketplace's rate limit, injected faults,
/// then the body (possibly cut off or missing a field, when told to).
/// </summary>
internal static class SimResponder
{
    /// <summary>The operation name of calls paced by their own cost model (Shopify GraphQL), outside the request-count limit.</summary>
    public const string CostPaced = "cost-paced";

    /// <param name="operation">The operation's own rate budget (Amazon's report calls), or the store's one limit when null.</param>
    public static async Task<IResult> ServeAsync(HttpContext http, SimulatorState state, Dialect dialect, string storeId, Func<SimStore, SimResult> produce, string? operation = null)
    {
        state.BeforeServing?.Invoke(storeId, http.Request.Path + http.Request.QueryString);
        var store = state.GetStore(dialect.Marketplace, storeId);
        TimeSpan? retryAfter = null;
        IResult result;
        if (store is null)
        {
            result = Results.Json(new { errors = "Not Found" }, statusCode: StatusCodes.Status404NotFound);
        }
        else if (!dialect.Authorize(store, http.Request))
        {
            result = dialect.Unauthorized();
        }
        else
        {
            (result, retryAfter) = await AdmitAsync(http, state, dialect, store, operation == CostPaced ? null : store.LimiterFor(operation), produce);
        }

        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        state.Record(new SimRequest(state.Time.GetUtcNow(), dialect.Marketplace, storeId, http.Request.Path + http.Request.QueryString, status, retryAfter, http.Request.Method));
        return result;
    }

    private static async Task<(IResult, TimeSpan?)> AdmitAsync(HttpContext http, SimulatorState state, Dialect dialect, SimStore store, SimTokenBucket? limiter, Func<SimStore, SimResult> produce)
    {
        var level = 0d;
        if (state.RateLimitsEnabled && limiter is not null)
        {
            var (admitted, bucketLevel, wait) = limiter.TryTake(state.Time.GetUtcNow());
            level = bucketLevel;
            dialect.LimitHeaders(http.Response, limiter, level);
            if (!admitted)
            {
                return (RateLimited(http, dialect, wait), wait);
            }
        }

        var fault = state.RollFault(out var slow);
        var faults = state.Faults;
        if (slow)
        {
            await Task.Delay(faults.SlowMs, http.RequestAborted);
        }

        switch (fault)
        {
            case FaultDecision.RateLimited:
                var wait = TimeSpan.FromSeconds(faults.RetryAfterSeconds);
                return (RateLimited(http, dialect, wait), wait);
            case FaultDecision.ServerError:
                return (Results.Json(new { errors = "Internal Server Error (injected)" }, statusCode: StatusCodes.Status503ServiceUnavailable), null);
        }

        if (limiter is not null)
        {
            dialect.LimitHeaders(http.Response, limiter, level);
        }

        var produced = produce(store);
        // An error, or an answer written as it goes (a stream).
        if (produced.Error is not null)
        {
            return (produced.Error, null);
        }

        var json = produced.Body!.ToJsonString();
        if (state.TakeMalformed())
        {
            json = json[..(json.Length / 2)];
        }

        return (Results.Text(json, "application/json; charset=utf-8", statusCode: produced.Status), null);
    }

    private static IResult RateLimited(HttpContext http, Dialect dialect, TimeSpan wait)
    {
        if (dialect.SendsRetryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(0.001, wait.TotalSeconds).ToString("0.0##", CultureInfo.InvariantCulture);
        }

        return Results.Json(dialect.RateLimitedBody(), statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>Removes the configured field from the record with this index, when the fault is on.</summary>
    public static JsonObject WithFaults(this JsonObject record, SimulatorState state, int index)
    {
        var faults = state.Faults;
        if (faults.DropField is { } field && (index + 1) % Math.Max(1, faults.DropEveryNth) == 0)
        {
            record.Remove(field);
        }

        return record;
    }

    /// <summary>A list page as served: its middle record left out when the short-page fault takes it (its total unchanged).</summary>
    public static JsonArray WithPageFaults(this JsonArray page, SimulatorState state)
    {
        if (page.Count > 0 && state.TakeShortPage())
        {
            page.RemoveAt(page.Count / 2);
        }

        return page;
    }

    /// <summary>Whether the request's HTTP Basic credentials are <paramref name="user"/> and <paramref name="password"/> (false when either is not set).</summary>
    public static bool BasicMatches(HttpRequest request, string? user, string? password)
    {
        var header = request.Headers.Authorization.ToString();
        if (user is null || password is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())) == $"{user}:{password}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static IResult BadRequest(object body) => Results.Json(body, statusCode: StatusCodes.Status400BadRequest);

    public static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}

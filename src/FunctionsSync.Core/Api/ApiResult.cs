using System.Globalization;

namespace FunctionsSync.Core.Api;

/// <summary>A handler's answer, independent of the host: status, JSON body, optional Location and Retry-After.</summary>
public sealed record ApiResult(int Status, object? Body, string? Location = null, int? RetryAfterSeconds = null)
{
    public bool IsProblem => Body is ProblemBody;

    public static ApiResult Ok<T>(T body) where T : class => new(200, body);

    /// <summary>201 with the new resource's <c>Location</c>.</summary>
    public static ApiResult Created<T>(T body, string? location = null) where T : class => new(201, body, location);

    /// <summary>An idempotent create: 201 the first time, 200 with the same answer when it already existed.</summary>
    public static ApiResult CreatedOrExisting<T>(bool created, T body, string? location = null) where T : class => new(created ? 201 : 200, body, location);

    /// <summary>202: the request is taken and acted on asynchronously (a queued run, a pause a runner honours).</summary>
    public static ApiResult Accepted<T>(T body) where T : class => new(202, body);

    public static ApiResult NoContent { get; } = new(204, null);

    /// <summary>503 with a body (not a problem): a health answer naming what is down.</summary>
    public static ApiResult Unavailable<T>(T body) where T : class => new(503, body);

    /// <summary>The response headers both hosts set from it: <c>Location</c> on a 201, <c>Retry-After</c> when given.</summary>
    public IEnumerable<(string Name, string Value)> Headers()
    {
        if (Location is not null && Status == 201)
        {
            yield return ("Location", Location);
        }

        if (RetryAfterSeconds is { } seconds)
        {
            yield return ("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }
    }
}

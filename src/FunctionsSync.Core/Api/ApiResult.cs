using System.Globalization;

namespace FunctionsSync.Core.Api;

/// <summary>
/// A handler's answer, independent of the host: status, body, optional Location and Retry-After. Handlers return the
/// typed <see cref="ApiResult{T}"/>; this is what the one writer (<see cref="ApiResponses"/>) turns into a response.
/// </summary>
public sealed record ApiResult(int Status, object? Body, string? Location = null, int? RetryAfterSeconds = null)
{
    public bool IsProblem => Body is ProblemBody;

    public static ApiResult<T> Ok<T>(T body) where T : class => new(new(200, body));

    /// <summary>201 with the new resource's <c>Location</c>.</summary>
    public static ApiResult<T> Created<T>(T body, string? location = null) where T : class => new(new(201, body, location));

    /// <summary>An idempotent create: 201 the first time, 200 with the same answer when it already existed.</summary>
    public static ApiResult<T> CreatedOrExisting<T>(bool created, T body, string? location = null) where T : class => new(new(created ? 201 : 200, body, location));

    /// <summary>202: the request is taken and acted on asynchronously (a queued run, a pause a runner honours).</summary>
    public static ApiResult<T> Accepted<T>(T body) where T : class => new(new(202, body));

    public static ApiResult<NoBody> NoContent { get; } = new(new(204, null));

    /// <summary>503 with a body (not a problem): a health answer naming what is down.</summary>
    public static ApiResult<T> Unavailable<T>(T body) where T : class => new(new(503, body));

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

/// <summary>
/// A handler's answer whose success body is a <typeparamref name="T"/> (the route table reads <typeparamref name="T"/>
/// for the OpenAPI document), or a problem: a problem (<see cref="Problems"/>) converts to any of them, a success body of
/// another type does not.
/// </summary>
public sealed class ApiResult<T>
{
    internal ApiResult(ApiResult result) => Result = result;

    public ApiResult Result { get; }

    public int Status => Result.Status;

    /// <summary>The success body; null for a problem or an answer without one.</summary>
    public T? Value => Result.Body is T body ? body : default;

    /// <summary>A problem as the answer of a handler of any type.</summary>
    public static implicit operator ApiResult<T>(ApiResult problem) => problem.IsProblem
        ? new(problem)
        : throw new InvalidOperationException($"Only a problem converts to ApiResult<{typeof(T).Name}>; build a success with ApiResult.Ok and its kind.");
}

/// <summary>The body type of an answer without one (204).</summary>
public sealed record NoBody;

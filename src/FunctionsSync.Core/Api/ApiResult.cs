using System.Globalization;

namespace FunctionsSync.Core.Api;

/// <summary>A handler's answer, independent of the host: status, JSON body, optional Location and Retry-After.</summary>
public sealed record ApiResult(int Status, object? Body, string? Location = null, int? RetryAfterSeconds = null)
{
    public bool IsProblem => Body is ProblemBody;

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

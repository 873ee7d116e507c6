using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>How one marketplace authenticates, reports its rate limit and words its errors.</summary>
/// <param name="SendsRetryAfter">Whether a 429 says when to come back (MediPim documents no such header).</param>
internal sealed record Dialect(
    string Marketplace,
    Func<SimStore, HttpRequest, bool> Authorize,
    Func<IResult> Unauthorized,
    Action<HttpResponse, SimTokenBucket, double> LimitHeaders,
    Func<object> RateLimitedBody,
    bool SendsRetryAfter = true);

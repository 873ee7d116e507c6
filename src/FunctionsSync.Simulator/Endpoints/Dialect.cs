using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>How one marketplace authenticates, reports its rate limit and words its errors.</summary>
internal sealed record Dialect(
    string Marketplace,
    Func<SimStore, HttpRequest, bool> Authorize,
    Func<IResult> Unauthorized,
    Action<HttpResponse, SimTokenBucket, double> LimitHeaders,
    Func<object> RateLimitedBody);

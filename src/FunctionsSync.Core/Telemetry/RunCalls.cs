namespace FunctionsSync.Core.Telemetry;

/// <summary>A run's marketplace traffic: requests sent (every attempt), retries among them, 429 answers, and time spent waiting on rate limits.</summary>
public sealed record RunCalls(long Requests, long Retries, long Throttled, long RateLimitWaitMs)
{
    public static RunCalls None { get; } = new(0, 0, 0, 0);
}

using Polly;

namespace FunctionsSync.Marketplaces.Resilience;

/// <summary>One connection's resilience: its pipeline (timeouts, retries, circuit breaker) and its rate limiter.</summary>
public sealed record ConnectionPipeline(ResiliencePipeline<HttpResponseMessage> Pipeline, AdaptiveRateLimiter? Limiter);

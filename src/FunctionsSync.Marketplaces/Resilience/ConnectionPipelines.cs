using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using FunctionsSync.Core.Connections;
using FunctionsSync.Marketplaces.Http;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace FunctionsSync.Marketplaces.Resilience;

/// <summary>
/// One Polly pipeline per connection, so one store's outage opens only its own circuit and one store's rate limit
/// slows only its own calls: total timeout → retry (429 after Retry-After; 5xx and timeouts with exponential backoff
/// and jitter) → circuit breaker → attempt timeout. Rate limits are shaped per marketplace, overridable per connection
/// (settings <c>rateLimitCapacity</c>, <c>rateLimitPerSecond</c>).
/// </summary>
public sealed class ConnectionPipelines(IOptions<MarketplaceHttpOptions> options, TimeProvider time)
{
    public static readonly ResiliencePropertyKey<int> TransientFailures = new("FunctionsSync.TransientFailures");
    public static readonly ResiliencePropertyKey<int> RateLimitedAnswers = new("FunctionsSync.RateLimitedAnswers");

    /// <summary>Added to every Retry-After wait: timer ticks are coarse and must never make a request early.</summary>
    public static readonly TimeSpan RetryAfterMargin = TimeSpan.FromMilliseconds(15);

    private readonly ConcurrentDictionary<string, ConnectionPipeline> pipelines = new();

    /// <summary>
    /// The pipeline and limiter of one (connection, operation): an operation the marketplace budgets on its own (a
    /// <c>Marketplaces:RateLimits</c> entry named <c>marketplace.operation</c>, e.g. <c>amazon.createReport</c>) has its
    /// own limiter, shaped and corrected by that operation's answers only; every other call shares the connection's.
    /// </summary>
    public ConnectionPipeline For(Connection connection, string? operation = null)
    {
        var o = options.Value;
        var own = operation is not null && o.RateLimits.ContainsKey($"{connection.Marketplace}.{operation}");
        operation = own || MarketplaceHttp.IsUnpaced(operation) ? operation : null;
        var shape = MarketplaceHttp.IsUnpaced(operation) ? null : Shape(connection, operation);
        var key = $"{connection.Id}|{operation}|{shape?.Capacity}|{shape?.PerSecond}";
        return pipelines.GetOrAdd(key, _ => Build(shape));
    }

    private RateLimitShape? Shape(Connection connection, string? operation)
    {
        var o = options.Value;
        if (!o.RateLimitsEnabled)
        {
            return null;
        }

        if (operation is not null)
        {
            // The connection's own overrides shape its main budget, not an operation's published one.
            var published = o.RateLimits[$"{connection.Marketplace}.{operation}"];
            return new RateLimitShape { Capacity = published.Capacity, PerSecond = published.PerSecond * o.RateLimitSafetyFactor };
        }

        var shape = o.RateLimits.TryGetValue(connection.Marketplace, out var configured) ? configured : new RateLimitShape { Capacity = 10, PerSecond = 5 };
        var capacity = double.TryParse(connection.Setting("rateLimitCapacity"), NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c >= 1 ? c : shape.Capacity;
        var perSecond = double.TryParse(connection.Setting("rateLimitPerSecond"), NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 ? r : shape.PerSecond;
        return new RateLimitShape { Capacity = capacity, PerSecond = perSecond * o.RateLimitSafetyFactor };
    }

    private ConnectionPipeline Build(RateLimitShape? shape)
    {
        var o = options.Value;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(o.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.BaseDelay,
                MaxDelay = o.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, o)),
                // The marketplace's own wait beats our backoff; a few milliseconds on top, since timers may fire a tick early.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter.From(response, time.GetUtcNow()) + RetryAfterMargin : null),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakerDuration,
                // Only faults open the circuit; a 429 is the marketplace pacing us.
                ShouldHandle = args => ValueTask.FromResult(IsFault(args.Outcome)),
            })
            .AddTimeout(o.AttemptTimeout)
            .Build();
        return new ConnectionPipeline(pipeline, shape is null ? null : new AdaptiveRateLimiter(shape.Capacity, shape.PerSecond, time));
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, MarketplaceHttpOptions o)
    {
        if (outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var n = context.Properties.GetValue(RateLimitedAnswers, 0) + 1;
            context.Properties.Set(RateLimitedAnswers, n);
            return n <= o.MaxRateLimitRetries;
        }

        if (IsFault(outcome))
        {
            var n = context.Properties.GetValue(TransientFailures, 0) + 1;
            context.Properties.Set(TransientFailures, n);
            return n <= o.MaxRetries;
        }

        return false;
    }

    private static bool IsFault(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } r } => (int)r.StatusCode >= 500,
        _ => false,
    };
}

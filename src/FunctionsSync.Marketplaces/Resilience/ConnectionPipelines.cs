using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
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
/// and jitter) → the wait for the rate budget (<see cref="RateLimiterStage"/>) → circuit breaker → attempt timeout. Rate limits are shaped per marketplace, overridable per connection
/// (settings <c>rateLimitCapacity</c>, <c>rateLimitPerSecond</c>).
/// </summary>
public sealed class ConnectionPipelines(IOptions<MarketplaceHttpOptions> options, TimeProvider time)
{
    public static readonly ResiliencePropertyKey<int> TransientFailures = new("FunctionsSync.TransientFailures");
    public static readonly ResiliencePropertyKey<int> RateLimitedAnswers = new("FunctionsSync.RateLimitedAnswers");

    /// <summary>Added to every Retry-After wait: timer ticks are coarse and must never make a request early.</summary>
    public static readonly TimeSpan RetryAfterMargin = TimeSpan.FromMilliseconds(15);

    /// <summary>A pipeline not used for this long is dropped (its connection deleted, or no longer synced by this process).</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<(string ConnectionId, string? Operation), Cached> pipelines = new();
    private long lastSweepTicks = time.GetUtcNow().UtcTicks;

    /// <summary>Pipelines held now: one per (connection, operation) in use.</summary>
    public int Count => pipelines.Count;

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
        var now = time.GetUtcNow();
        SweepIfDue(now);
        // One entry per (connection, operation): a changed rate-limit setting replaces it rather than adding another.
        var cached = pipelines.AddOrUpdate(
            (connection.Id, operation),
            _ => new Cached(Build(shape), shape, now),
            (_, existing) => SameShape(existing.Shape, shape) ? existing with { UsedAt = now } : new Cached(Build(shape), shape, now));
        return cached.Pipeline;
    }

    /// <summary>At most every ten minutes, drops the pipelines idle for <see cref="IdleAfter"/>: the cache never grows with deleted connections.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref lastSweepTicks);
        if (now.UtcTicks - last < TimeSpan.FromMinutes(10).Ticks || Interlocked.CompareExchange(ref lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (key, cached) in pipelines)
        {
            if (now - cached.UsedAt > IdleAfter)
            {
                pipelines.TryRemove(new KeyValuePair<(string, string?), Cached>(key, cached));
            }
        }
    }

    private static bool SameShape(RateLimitShape? a, RateLimitShape? b) =>
        a is null ? b is null : b is not null && a.Capacity.Equals(b.Capacity) && a.PerSecond.Equals(b.PerSecond);

    private sealed record Cached(ConnectionPipeline Pipeline, RateLimitShape? Shape, DateTimeOffset UsedAt);

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
        var capacity = CommonSettings.RateLimitCapacity.Of(connection) ?? shape.Capacity;
        var perSecond = CommonSettings.RateLimitPerSecond.Of(connection) ?? shape.PerSecond;
        return new RateLimitShape { Capacity = capacity, PerSecond = perSecond * o.RateLimitSafetyFactor };
    }

    private ConnectionPipeline Build(RateLimitShape? shape)
    {
        var o = options.Value;
        var limiter = shape is null ? null : new AdaptiveRateLimiter(shape.Capacity, shape.PerSecond, time);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
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
            });
        if (limiter is not null)
        {
            builder.AddStrategy(_ => new RateLimiterStage(limiter, time), new RateLimiterStageOptions());
        }

        var pipeline = builder
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
        return new ConnectionPipeline(pipeline, limiter);
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

/// <summary>The rate-budget stage has nothing to configure; Polly asks for options to name it in telemetry.</summary>
internal sealed class RateLimiterStageOptions : ResilienceStrategyOptions
{
    public RateLimiterStageOptions() => Name = "RateBudget";
}

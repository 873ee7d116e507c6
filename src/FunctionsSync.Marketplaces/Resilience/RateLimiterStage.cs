using Polly;

namespace FunctionsSync.Marketplaces.Resilience;

/// <summary>
/// The pipeline's wait for the connection's rate budget, between the retry and the circuit breaker: a wait is not a
/// fault, so it is outside the attempt timeout (a long wait for Amazon's budget is not "no answer in time") and the
/// breaker never counts it; the total timeout still bounds it. Each retry waits for a token again.
/// </summary>
internal sealed class RateLimiterStage(AdaptiveRateLimiter limiter, TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
{
    /// <summary>When the attempt began waiting for the budget (the caller counts the wait from it).</summary>
    public static readonly ResiliencePropertyKey<DateTimeOffset> WaitStartedAt = new("FunctionsSync.RateLimitWaitStartedAt");

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
    {
        context.Properties.Set(WaitStartedAt, time.GetUtcNow());
        try
        {
            await limiter.AcquireAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<HttpResponseMessage>(ex);
        }

        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }
}

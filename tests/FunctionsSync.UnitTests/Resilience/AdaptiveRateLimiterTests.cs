using FunctionsSync.Marketplaces.Resilience;

namespace FunctionsSync.UnitTests.Resilience;

public sealed class AdaptiveRateLimiterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_full_bucket_paces_requests_at_the_leak_rate()
    {
        var clock = new JumpingClock(T0);
        var limiter = new AdaptiveRateLimiter(capacity: 5, perSecond: 50, clock);
        var waited = new List<TimeSpan>();
        for (var i = 0; i < 15; i++)
        {
            var before = clock.GetUtcNow();
            await limiter.AcquireAsync(CancellationToken.None);
            waited.Add(clock.GetUtcNow() - before);
        }

        // 5 at once, then 10 more at 50/s: 20 ms each, 200 ms in all (to the millisecond the limiter rounds to).
        Assert.All(waited.Take(5), w => Assert.Equal(TimeSpan.Zero, w));
        Assert.All(waited.Skip(5), w => Assert.InRange(w.TotalMilliseconds, 19.9, 21));
        Assert.InRange(waited.Sum(w => w.TotalMilliseconds), 199, 210);
    }

    [Fact]
    public async Task Retry_After_blocks_every_request_until_it_has_passed()
    {
        var clock = new JumpingClock(T0);
        var limiter = new AdaptiveRateLimiter(capacity: 100, perSecond: 100, clock);
        limiter.Observe(null, null, null, TimeSpan.FromMilliseconds(250));
        await limiter.AcquireAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromMilliseconds(250), clock.GetUtcNow() - T0);
        // Once it has passed, the bucket's room is there again at once.
        await limiter.AcquireAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromMilliseconds(250), clock.GetUtcNow() - T0);
    }

    [Fact]
    public void The_marketplaces_figures_correct_the_estimate()
    {
        var limiter = new AdaptiveRateLimiter(capacity: 40, perSecond: 2, new JumpingClock(T0));
        limiter.Observe(reportedCapacity: 80, reportedLevel: 39, reportedPerSecond: 0.5, retryAfter: null);
        Assert.Equal(80, limiter.Capacity);
        Assert.Equal(0.5, limiter.PerSecond);
    }
}

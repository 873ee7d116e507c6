using System.Diagnostics;
using FunctionsSync.Marketplaces.Resilience;

namespace FunctionsSync.UnitTests.Resilience;

public sealed class AdaptiveRateLimiterTests
{
    [Fact]
    public async Task A_full_bucket_paces_requests_at_the_leak_rate()
    {
        var limiter = new AdaptiveRateLimiter(capacity: 5, perSecond: 50, TimeProvider.System);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 15; i++)
        {
            await limiter.AcquireAsync(CancellationToken.None);
        }

        // 5 at once, then 10 more at 50/s: at least ~200 ms.
        Assert.InRange(watch.Elapsed.TotalMilliseconds, 180, 2_000);
    }

    [Fact]
    public async Task Retry_After_blocks_every_request_until_it_has_passed()
    {
        var limiter = new AdaptiveRateLimiter(capacity: 100, perSecond: 100, TimeProvider.System);
        limiter.Observe(null, null, null, TimeSpan.FromMilliseconds(250));
        var watch = Stopwatch.StartNew();
        await limiter.AcquireAsync(CancellationToken.None);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(240), $"{watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void The_marketplaces_figures_correct_the_estimate()
    {
        var limiter = new AdaptiveRateLimiter(capacity: 40, perSecond: 2, TimeProvider.System);
        limiter.Observe(reportedCapacity: 80, reportedLevel: 39, reportedPerSecond: 0.5, retryAfter: null);
        Assert.Equal(80, limiter.Capacity);
        Assert.Equal(0.5, limiter.PerSecond);
    }
}

using FunctionsSync.Core.Access;
using FunctionsSync.Core.Scheduling;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsSync.UnitTests.Scheduling;

public sealed class StatusSnapshotsTests
{
    private static readonly StatusSnapshot Empty = new(
        new ConnectionCountsView(0, 0, 0, 0, new Dictionary<string, int>(), new LastRunCountsView(0, 0, 0, 0, 0)), [], 0, 0, 0);

    private static StatusSnapshots Cache(TimeProvider time, TimeSpan duration) =>
        new(Options.Create(new ApiOptions { AdminKey = "admin-key-0123456789", StatusCacheDuration = duration }), time);

    [Fact]
    public async Task A_scopes_counts_are_worked_out_once_per_duration_and_each_scope_apart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var cache = Cache(time, TimeSpan.FromSeconds(5));
        var computed = new Dictionary<string, int>();
        Task<StatusSnapshot> Compute(string scope)
        {
            lock (computed)
            {
                computed[scope] = computed.GetValueOrDefault(scope) + 1;
                return Task.FromResult(Empty with { Total = computed[scope] });
            }
        }

        Assert.Equal(1, (await cache.GetAsync(null, () => Compute("admin"))).Total);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, (await cache.GetAsync(null, () => Compute("admin"))).Total);
        Assert.Equal(1, (await cache.GetAsync("org-a", () => Compute("org-a"))).Total);
        // Lapsed: answered as kept while one refresh runs behind; the next caller gets the refreshed one.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await cache.GetAsync(null, () => Compute("admin"))).Total);
        await WaitForAsync(() => cache.GetAsync(null, () => Compute("admin")), s => s.Total == 2);
        Assert.Equal(2, computed["admin"]);
        Assert.Equal(1, (await cache.GetAsync("org-a", () => Compute("org-a"))).Total);

        // Far too old (four durations): worked out before the answer.
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(3, (await cache.GetAsync(null, () => Compute("admin"))).Total);
    }

    [Fact]
    public async Task A_snapshot_that_took_long_to_work_out_is_kept_ten_times_that_rather_than_the_duration()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var cache = Cache(time, TimeSpan.FromSeconds(5));
        var calls = 0;
        Task<StatusSnapshot> Slow()
        {
            // As 10,000 connections: two seconds to read them all.
            var call = Interlocked.Increment(ref calls);
            time.Advance(TimeSpan.FromSeconds(2));
            return Task.FromResult(Empty with { Total = call });
        }

        Assert.Equal(1, (await cache.GetAsync(null, Slow)).Total);
        // 17 s after it began: past the 5 s duration, inside ten times its 2 s.
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(1, (await cache.GetAsync(null, Slow)).Total);
        Assert.Equal(1, calls);

        // 21 s: lapsed, answered as kept while one refresh runs behind.
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, (await cache.GetAsync(null, Slow)).Total);
        await WaitForAsync(() => cache.GetAsync(null, Slow), s => s.Total == 2);
        Assert.Equal(2, calls);

        // The refresh took 2 s as well: kept 20 s from its start again, not 5.
        time.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(2, (await cache.GetAsync(null, Slow)).Total);
        Assert.Equal(2, calls);
    }

    private static async Task WaitForAsync(Func<Task<StatusSnapshot>> read, Func<StatusSnapshot, bool> done)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!done(await read()))
        {
            await Task.Yield();
            patience.Token.ThrowIfCancellationRequested();
        }
    }

    [Fact]
    public async Task A_failed_computation_is_not_kept_and_a_zero_duration_keeps_nothing()
    {
        var time = new FakeTimeProvider();
        var cache = Cache(time, TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(null, () => Task.FromException<StatusSnapshot>(new InvalidOperationException("storage away"))));
        Assert.Equal(7, (await cache.GetAsync(null, () => Task.FromResult(Empty with { Total = 7 }))).Total);

        var none = Cache(time, TimeSpan.Zero);
        var calls = 0;
        for (var i = 0; i < 3; i++)
        {
            await none.GetAsync(null, () => Task.FromResult(Empty with { Total = ++calls }));
        }

        Assert.Equal(3, calls);
    }
}

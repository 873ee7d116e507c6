using FunctionsSync.Core.Connections;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsSync.UnitTests.Resilience;

public sealed class ConnectionPipelinesTests
{
    private static readonly Connection Amazon = new()
    {
        Id = "c1", OrganizationId = "o", Marketplace = MarketplaceNames.Amazon, ExternalStoreId = "s", Name = "n", SyncTokenHash = "t",
        Settings = new Dictionary<string, string> { ["rateLimitPerSecond"] = "5" },
    };

    private readonly ConnectionPipelines pipelines = new(Options.Create(new MarketplaceHttpOptions()), TimeProvider.System);

    [Fact]
    public void An_operation_with_its_own_published_budget_gets_its_own_limiter_shaped_to_it()
    {
        var orders = pipelines.For(Amazon).Limiter!;
        var create = pipelines.For(Amazon, "createReport").Limiter!;
        var poll = pipelines.For(Amazon, "getReport").Limiter!;

        Assert.NotSame(orders, create);
        Assert.NotSame(create, poll);
        Assert.Same(create, pipelines.For(Amazon, "createReport").Limiter);
        // The connection's override shapes its main budget only; the operations keep Amazon's figures (× the safety factor).
        Assert.Equal((20d, 5 * 0.95), (orders.Capacity, orders.PerSecond), new ToleranceComparer());
        Assert.Equal((15d, 0.0167 * 0.95), (create.Capacity, create.PerSecond), new ToleranceComparer());
        Assert.Equal((15d, 2 * 0.95), (poll.Capacity, poll.PerSecond), new ToleranceComparer());
    }

    [Fact]
    public void An_operation_without_a_budget_of_its_own_shares_the_connections_and_a_download_has_none()
    {
        Assert.Same(pipelines.For(Amazon).Limiter, pipelines.For(Amazon, "getOrders").Limiter);
        Assert.Null(pipelines.For(Amazon, MarketplaceHttp.Download).Limiter);
    }

    [Fact]
    public void A_changed_rate_limit_setting_replaces_the_connections_pipeline_and_idle_ones_are_dropped()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cache = new ConnectionPipelines(Options.Create(new MarketplaceHttpOptions()), time);
        var before = cache.For(Amazon).Limiter!;
        var changed = Amazon with { Settings = new Dictionary<string, string> { ["rateLimitPerSecond"] = "2" } };
        var after = cache.For(changed).Limiter!;

        Assert.NotSame(before, after);
        Assert.Equal(2 * 0.95, after.PerSecond, 9);
        Assert.Equal(1, cache.Count);
        Assert.Same(after, cache.For(changed).Limiter);

        // The connection is deleted (nothing asks for it again); an hour and more later another connection's call sweeps it.
        time.Advance(ConnectionPipelines.IdleAfter + TimeSpan.FromMinutes(11));
        cache.For(Amazon with { Id = "c2" });
        Assert.Equal(1, cache.Count);
        Assert.NotSame(after, cache.For(changed).Limiter);
    }

    private sealed class ToleranceComparer : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-9 && Math.Abs(x.Item2 - y.Item2) < 1e-9;

        public int GetHashCode((double, double) obj) => 0;
    }
}

using FunctionsSync.Marketplaces.Shopify;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsSync.UnitTests.Marketplaces;

public sealed class ShopifyCostBudgetTests
{
    [Fact]
    public async Task Before_the_shop_has_answered_a_query_goes_at_once()
    {
        var budget = new ShopifyCostBudget(new FakeTimeProvider());
        await budget.ReserveAsync(1_000, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(budget.Plan);
    }

    [Fact]
    public async Task A_query_waits_until_the_shops_restore_rate_has_made_its_cost_available()
    {
        var clock = new FakeTimeProvider();
        var budget = new ShopifyCostBudget(clock);
        await budget.ReserveAsync(10, CancellationToken.None);
        // The shop: bucket 1,000, 100 points left, 50 restored per second.
        budget.Observe(10, maximumAvailable: 1_000, currentlyAvailable: 100, restore: 50);
        Assert.Equal((1_000d, 50d), budget.Plan);

        var waiting = budget.ReserveAsync(300, CancellationToken.None);
        for (var i = 0; i < 19; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(0.2));
            await Task.Yield();
        }

        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Queries_in_flight_count_against_what_is_available()
    {
        var clock = new FakeTimeProvider();
        var budget = new ShopifyCostBudget(clock);
        await budget.ReserveAsync(1, CancellationToken.None);
        budget.Observe(1, maximumAvailable: 1_000, currentlyAvailable: 1_000, restore: 100);

        await budget.ReserveAsync(600, CancellationToken.None);
        var second = budget.ReserveAsync(600, CancellationToken.None);
        Assert.False(second.IsCompleted);
        // The first answered: 550 left (it cost 450), the second's 600 are there after half a second.
        budget.Observe(600, maximumAvailable: 1_000, currentlyAvailable: 550, restore: 100);
        clock.Advance(TimeSpan.FromSeconds(0.6));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_cost_above_the_bucket_waits_only_for_a_full_bucket()
    {
        var clock = new FakeTimeProvider();
        var budget = new ShopifyCostBudget(clock);
        await budget.ReserveAsync(1, CancellationToken.None);
        budget.Observe(1, maximumAvailable: 500, currentlyAvailable: 500, restore: 100);
        await budget.ReserveAsync(900, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }
}

using System.Collections.Concurrent;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>The cost budget of each connection (a shop's bucket is shared by every call made to it with the app's token).</summary>
public sealed class ShopifyCostBudgets(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ShopifyCostBudget> budgets = new();

    public ShopifyCostBudget For(string connectionId) => budgets.GetOrAdd(connectionId, _ => new ShopifyCostBudget(time));
}

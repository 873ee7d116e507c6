namespace FunctionsSync.Core.Adapters;

public sealed class MarketplaceAdapterRegistry(IEnumerable<IMarketplaceAdapter> adapters) : IMarketplaceAdapterRegistry
{
    private readonly Dictionary<string, IMarketplaceAdapter> byName =
        adapters.ToDictionary(a => a.Marketplace, StringComparer.OrdinalIgnoreCase);

    public IMarketplaceAdapter Get(string marketplace) =>
        byName.TryGetValue(marketplace, out var adapter)
            ? adapter
            : throw new KeyNotFoundException($"No adapter for marketplace '{marketplace}'.");
}

using System.Diagnostics.CodeAnalysis;

namespace FunctionsSync.Core.Adapters;

public sealed class MarketplaceAdapterRegistry(IEnumerable<IMarketplaceAdapter> adapters) : IMarketplaceAdapterRegistry
{
    private readonly Dictionary<string, IMarketplaceAdapter> byName =
        adapters.ToDictionary(a => a.Marketplace, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Marketplaces => [.. byName.Keys];

    public IMarketplaceAdapter Get(string marketplace) =>
        byName.TryGetValue(marketplace, out var adapter)
            ? adapter
            : throw new KeyNotFoundException($"No adapter for marketplace '{marketplace}'.");

    public bool TryGet(string? marketplace, [NotNullWhen(true)] out IMarketplaceAdapter? adapter)
    {
        adapter = null;
        return marketplace is not null && byName.TryGetValue(marketplace, out adapter);
    }
}

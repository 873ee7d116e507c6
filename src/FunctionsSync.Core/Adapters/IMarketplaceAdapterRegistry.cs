using System.Diagnostics.CodeAnalysis;

namespace FunctionsSync.Core.Adapters;

public interface IMarketplaceAdapterRegistry
{
    /// <summary>The wire names of the marketplaces an adapter is registered for.</summary>
    IReadOnlyList<string> Marketplaces { get; }

    /// <exception cref="KeyNotFoundException">No adapter is registered for the marketplace.</exception>
    IMarketplaceAdapter Get(string marketplace);

    bool TryGet(string? marketplace, [NotNullWhen(true)] out IMarketplaceAdapter? adapter);
}

namespace FunctionsSync.Core.Adapters;

public interface IMarketplaceAdapterRegistry
{
    /// <exception cref="KeyNotFoundException">No adapter is registered for the marketplace.</exception>
    IMarketplaceAdapter Get(string marketplace);
}

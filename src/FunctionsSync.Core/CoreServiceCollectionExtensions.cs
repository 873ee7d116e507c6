using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsSync.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The sync engine; storage and adapters are registered by their own projects.</summary>
    public static IServiceCollection AddFunctionsSyncCore(this IServiceCollection services)
    {
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMarketplaceAdapterRegistry, MarketplaceAdapterRegistry>();
        services.TryAddSingleton<IIngestionDispatcher, IngestionDispatcher>();
        services.TryAddSingleton<ConnectionSyncer>();
        return services;
    }
}

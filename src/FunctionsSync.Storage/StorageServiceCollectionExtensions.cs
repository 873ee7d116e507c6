using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Sync;
using FunctionsSync.Storage.Connections;
using FunctionsSync.Storage.Ingestion;
using FunctionsSync.Storage.Sync;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsSync.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Table Storage implementations of Core's stores and the default (table) ingestion services.</summary>
    public static IServiceCollection AddFunctionsSyncStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TableProvider>();
        services.TryAddSingleton<IConnectionStore, TableConnectionStore>();
        services.TryAddSingleton<ISyncStateStore, TableSyncStateStore>();
        services.TryAddSingleton<IRecordQuery, TableRecordQuery>();
        services.TryAddSingleton(typeof(IIngestionService<>), typeof(TableIngestionService<>));
        return services;
    }
}

using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Events;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Retention;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Access;
using FunctionsSync.Storage.Activity;
using FunctionsSync.Storage.Concurrency;
using FunctionsSync.Storage.Conflicts;
using FunctionsSync.Storage.Connections;
using FunctionsSync.Storage.Events;
using FunctionsSync.Storage.Health;
using FunctionsSync.Storage.Ingestion;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Receipts;
using FunctionsSync.Storage.Retention;
using FunctionsSync.Storage.Scheduling;
using FunctionsSync.Storage.Secrets;
using FunctionsSync.Storage.Sync;
using FunctionsSync.Storage.Tables;
using FunctionsSync.Storage.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Table Storage implementations of Core's stores and the default (table) ingestion services.</summary>
    public static IServiceCollection AddFunctionsSyncStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecretOptions>().BindConfiguration(SecretOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<SecretCipher>();
        services.TryAddSingleton<SecretRewrap>();
        services.AddHostedService(sp => sp.GetRequiredService<SecretRewrap>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageRequestCounter>();
        services.TryAddSingleton<StorageClients>();
        services.TryAddSingleton<TableProvider>();
        services.TryAddSingleton<QueueProvider>();
        services.TryAddSingleton<ConnectionStateIndex>();
        services.TryAddSingleton<RunHistoryIndex>();
        services.TryAddSingleton<OutboxIndex>();
        services.TryAddSingleton<RecordLayouts>();
        services.TryAddSingleton<RecordCounters>();
        services.TryAddSingleton<IConnectionStore, TableConnectionStore>();
        services.TryAddSingleton<ISyncStateStore, TableSyncStateStore>();
        services.TryAddSingleton<IRecordQuery, TableRecordQuery>();
        services.TryAddSingleton<Core.Deletions.IRecordReconciliation, TableRecordReconciliation>();
        services.TryAddSingleton<Core.Notifications.INotificationInbox, Notifications.TableNotificationInbox>();
        services.TryAddSingleton(typeof(IIngestionService<>), typeof(TableIngestionService<>));
        services.TryAddSingleton<IScheduleStore, TableScheduleStore>();
        services.TryAddSingleton<IApiKeyStore, TableApiKeyStore>();
        services.TryAddSingleton<IOrganizationSlots, TableOrganizationSlots>();
        services.TryAddSingleton<IStorageHealth, StorageHealth>();
        services.TryAddSingleton<StorageJobQueue>();
        services.TryAddSingleton<IJobQueue>(sp => sp.GetRequiredService<StorageJobQueue>());
        // The self-hosted default; the Functions app replaces it with a Durable dispatcher.
        services.TryAddSingleton<IRunDispatcher>(sp => sp.GetRequiredService<StorageJobQueue>());
        services.TryAddSingleton<IStoredRecords, TableStoredRecords>();
        services.TryAddSingleton<Core.Privacy.IRecordRedactor, TableStoredRecords>();
        services.TryAddSingleton<IConflictStore, TableConflictStore>();
        services.TryAddSingleton<IActivityLog, TableActivityLog>();
        services.TryAddSingleton<TableLiveEventLog>();
        services.TryAddSingleton<ILiveEventLog>(sp => sp.GetRequiredService<TableLiveEventLog>());
        services.TryAddSingleton<IReceiptStore, TableReceiptStore>();
        services.TryAddSingleton<IWebhookStore, TableWebhookStore>();
        services.TryAddSingleton<IOutbox, TableOutbox>();
        services.TryAddSingleton<IWebhookSignal, StorageWebhookSignal>();
        // Public types with internal constructors (their dependencies are Storage's own): built here.
        services.TryAddSingleton(sp => new Notifications.AmazonNotificationQueue(
            sp.GetRequiredService<QueueProvider>(), sp.GetRequiredService<Core.Notifications.AmazonNotificationIntake>(), sp.GetRequiredService<ILogger<Notifications.AmazonNotificationQueue>>()));
        services.TryAddSingleton(sp => new WebhookQueueWorker(
            sp.GetRequiredService<QueueProvider>(), sp.GetRequiredService<WebhookDispatcher>(), sp.GetRequiredService<ILogger<WebhookQueueWorker>>()));
        services.TryAddSingleton(sp => new StorageProbe(sp.GetRequiredService<TableProvider>(), sp.GetRequiredService<QueueProvider>(), sp.GetRequiredService<RecordLayouts>()));
        services.TryAddSingleton<SettledIndexes>();
        services.TryAddSingleton<TombstoneIndex>();
        services.TryAddSingleton<IRetention, RetentionPass>();
        return services;
    }
}

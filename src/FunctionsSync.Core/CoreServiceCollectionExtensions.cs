using FunctionsSync.Core.Access;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Events;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Outbound;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Telemetry;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The sync engine; storage and adapters are registered by their own projects.</summary>
    public static IServiceCollection AddFunctionsSyncCore(this IServiceCollection services)
    {
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Notifications.NotificationOptions>().BindConfiguration(Notifications.NotificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // The FunctionsSync meter comes from the host's IMeterFactory (registered here when the host did not).
        services.AddMetrics();
        services.TryAddSingleton<SyncMetrics>();
        services.AddOptions<LiveEventOptions>().BindConfiguration(LiveEventOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<LiveEvents>();
        services.TryAddSingleton<LiveEventFeed>();
        services.TryAddSingleton<SyncHealthReader>();
        services.TryAddSingleton<IMarketplaceAdapterRegistry, MarketplaceAdapterRegistry>();
        services.TryAddSingleton<IIngestionDispatcher, IngestionDispatcher>();
        services.TryAddSingleton<RunCheckpoints>();
        services.TryAddSingleton<RunStarter>();
        services.TryAddSingleton<RunEndings>();
        services.TryAddSingleton<DeletionSignalReader>();
        services.TryAddSingleton<Notifications.NotificationFollowUp>();
        services.TryAddSingleton<FeedReader>();
        services.TryAddSingleton<StorageOutageRecovery>();
        services.TryAddSingleton<ConnectionSyncer>();
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<RunLauncher>();
        services.TryAddSingleton<CyclePlanner>();
        services.TryAddSingleton<ScheduleTicker>();
        services.TryAddSingleton<RunStep>();
        services.TryAddSingleton<JobProcessor>();
        services.AddOptions<OrchestrationOptions>().BindConfiguration(OrchestrationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<SyncActivities>();
        services.AddOptions<ConflictOptions>().BindConfiguration(ConflictOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ConflictRecorder>();
        services.TryAddSingleton<ConflictResolver>();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new WebhookTargets(new OutboundUrlPolicy(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowedHosts, "webhook targets")));
        services.AddOptions<MarketplaceTargetOptions>().BindConfiguration(MarketplaceTargetOptions.SectionName);
        services.TryAddSingleton(sp => new MarketplaceTargets(new OutboundUrlPolicy(sp.GetRequiredService<IOptions<MarketplaceTargetOptions>>().Value.AllowedHosts, "marketplace addresses")));
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddOptions<ReceiptOptions>().BindConfiguration(ReceiptOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ReceiptImporter>();
        services.TryAddSingleton<RunCancellation>();
        return services;
    }

    /// <summary>The HTTP API's handlers (host-independent) and API-key authentication.</summary>
    public static IServiceCollection AddFunctionsSyncApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ApiKeyAuthenticator>();
        services.TryAddSingleton<HealthApi>();
        services.TryAddSingleton<AdminApi>();
        services.TryAddSingleton<RunsApi>();
        services.TryAddSingleton<ConnectionAccess>();
        services.TryAddSingleton<ConnectionsApi>();
        services.TryAddSingleton<SyncApi>();
        services.TryAddSingleton<StatusSnapshots>();
        services.TryAddSingleton<ConflictsApi>();
        services.TryAddSingleton<ActivityApi>();
        services.TryAddSingleton<Resets.CursorResetApi>();
        services.TryAddSingleton<Backfills.BackfillApi>();
        services.TryAddSingleton<Notifications.NotificationsApi>();
        services.TryAddSingleton<Notifications.AmazonNotificationIntake>();
        services.TryAddSingleton<Privacy.CustomerRedaction>();
        services.TryAddSingleton<Privacy.ShopRedaction>();
        services.TryAddSingleton<Privacy.ShopifyCompliance>();
        services.TryAddSingleton<EventsApi>();
        services.TryAddSingleton<EventStreamWriter>();
        services.TryAddSingleton(new EventDelivery(HoldOpen: true));
        services.TryAddSingleton<ApiPipeline>();
        services.TryAddSingleton<IFullCycleStarter, PlannerFullCycleStarter>();
        services.TryAddSingleton<Events.EventStreamSlots>();
        services.TryAddSingleton<RunListApi>();
        services.TryAddSingleton<RunHistoryApi>();
        services.TryAddSingleton<RecordsApi>();
        services.TryAddSingleton<WebhooksApi>();
        services.TryAddSingleton<ReceiptsApi>();
        return services;
    }
}

using FunctionsSync.Storage;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Functions.Webhooks;

/// <summary>
/// The queue trigger reads app setting <c>WebhookQueueName</c> (a binding expression is fixed when the host starts),
/// while the storage layer writes <c>Storage:TablePrefix</c> + <c>webhookevents</c>. The app refuses to start when the
/// two differ, instead of queueing events no function reads.
/// </summary>
internal static class WebhookQueueBinding
{
    public const string SettingName = "WebhookQueueName";

    public static IServiceCollection AddWebhookQueueBindingCheck(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .Validate<IConfiguration>(
                (storage, configuration) => configuration[SettingName] == StorageNames.Full(storage.TablePrefix, TableNames.WebhookQueue),
                $"App setting {SettingName} must be Storage:TablePrefix followed by '{TableNames.WebhookQueue}', the queue the storage layer writes.");
        return services;
    }
}

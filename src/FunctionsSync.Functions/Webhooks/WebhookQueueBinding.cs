using FunctionsSync.Storage;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Functions.Webhooks;

/// <summary>
/// The queue triggers read app settings <c>WebhookQueueName</c> and <c>AmazonNotificationQueueName</c> (a binding
/// expression is fixed when the host starts), while the storage layer uses <c>Storage:TablePrefix</c> +
/// <c>webhookevents</c> and + <c>amazonnotifications</c>. The app refuses to start when they differ, instead of
/// queueing messages no function reads.
/// </summary>
internal static class WebhookQueueBinding
{
    public const string SettingName = "WebhookQueueName";

    public const string AmazonSettingName = "AmazonNotificationQueueName";

    public static IServiceCollection AddWebhookQueueBindingCheck(this IServiceCollection services)
    {
        foreach (var (setting, queue) in new[] { (SettingName, TableNames.WebhookQueue), (AmazonSettingName, TableNames.AmazonNotificationQueue) })
        {
            services.AddOptions<StorageOptions>()
                .Validate<IConfiguration>(
                    (storage, configuration) => configuration[setting] == StorageNames.Full(storage.TablePrefix, queue),
                    $"App setting {setting} must be Storage:TablePrefix followed by '{queue}', the queue the storage layer uses.");
        }

        return services;
    }
}

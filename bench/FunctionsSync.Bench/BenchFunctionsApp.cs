using FunctionsSync.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Bench;

/// <summary>The Functions app's services as Program.cs wires them (<c>AddFunctionsSyncApp</c>), started, on the bench's Azurite.</summary>
internal static class BenchFunctionsApp
{
    public static async Task<IHost> StartAsync(string storage, string prefix, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage,
            ["Storage:TablePrefix"] = prefix,
            ["Secrets:Keys:0:Id"] = "bench",
            ["Secrets:Keys:0:Key"] = "bench-key-material-not-a-secret-0123456789",
            ["WebhookQueueName"] = prefix + "webhookevents",
            ["AmazonNotificationQueueName"] = prefix + "amazonnotifications",
            ["Api:AdminKey"] = "bench-admin-key-0123456789",
            ["Marketplaces:RateLimitsEnabled"] = "false",
            // The simulator listens on loopback: the outbound policy refuses it unless allow-listed.
            ["Marketplaces:AllowedHosts:0"] = "127.0.0.1",
            // The simulator makes a report in a poll or two (Amazon takes minutes: its time is not the service's).
            ["Marketplaces:Amazon:PollInterval"] = "00:00:00.100",
            ["Marketplaces:Shopify:BulkPollInterval"] = "00:00:00.100",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.AddFilter(_ => false);
        builder.AddFunctionsSyncApp();
        var app = builder.Build();
        await app.StartAsync();
        return app;
    }
}

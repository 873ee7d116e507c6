using FunctionsSync.Core;
using FunctionsSync.Marketplaces;
using FunctionsSync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Bench;

/// <summary>The engine wired as the hosts wire it, on a table prefix of its own.</summary>
internal static class BenchServices
{
    public static ServiceProvider Create(string storage, string prefix, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage,
            ["Storage:TablePrefix"] = prefix,
            ["Secrets:Keys:0:Id"] = "bench",
            ["Secrets:Keys:0:Key"] = "bench-key-material-not-a-secret-0123456789",
            // Records per request, clamped by each adapter to its API's limit: a bulk or report page is two full table batches.
            ["Sync:PageSize"] = "200",
            ["Marketplaces:RateLimitsEnabled"] = "false",
            // The simulator listens on loopback: the outbound policy refuses it unless allow-listed.
            ["Marketplaces:AllowedHosts:0"] = "127.0.0.1",
            // The simulator makes a report in a poll or two (Amazon takes minutes: its time is not the service's).
            ["Marketplaces:Amazon:PollInterval"] = "00:00:00.100",
            ["Marketplaces:Shopify:BulkPollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddFunctionsSyncCore()
            .AddFunctionsSyncStorage()
            .AddFunctionsSyncMarketplaces()
            .BuildServiceProvider();
    }
}

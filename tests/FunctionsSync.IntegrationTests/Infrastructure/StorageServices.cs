using FunctionsSync.Core;
using FunctionsSync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>Core and Storage wired on Azurite under a fresh table prefix (random, so reruns on persistent storage never collide).</summary>
public static class StorageServices
{
    public static string NewPrefix(string name) => name + Guid.NewGuid().ToString("N")[..6];

    public static ServiceProvider Create(AzuriteFixture storage, string prefix, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? replace = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Secrets:Keys:0:Id"] = TestSecrets.KeyId,
            ["Secrets:Keys:0:Key"] = TestSecrets.KeyMaterial,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var collection = new ServiceCollection();
        replace?.Invoke(collection);
        return collection
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(all).Build())
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddFunctionsSyncCore()
            .AddFunctionsSyncStorage()
            .BuildServiceProvider(validateScopes: true);
    }
}

using FunctionsSync.Hosting.Api;
using FunctionsSync.SelfHosted;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Bench;

/// <summary>The self-hosted runtime on a free loopback port, its API mapped, the scheduler off, on a table prefix of its own.</summary>
internal static class BenchHost
{
    public const string AdminKey = "bench-admin-key-0123456789";

    /// <param name="extra">Settings of the figure, over the defaults.</param>
    public static async Task<WebApplication> StartAsync(string storage, string prefix, IReadOnlyDictionary<string, string?> extra)
    {
        var builder = WebApplication.CreateBuilder();
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = storage,
            ["Storage:TablePrefix"] = prefix,
            ["Secrets:Keys:0:Id"] = "bench",
            ["Secrets:Keys:0:Key"] = "bench-key-material-not-a-secret-0123456789",
            ["Api:AdminKey"] = AdminKey,
            ["Scheduler:EnabledByDefault"] = "false",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddSelfHostedFunctionsSync(withScheduler: false);
        var app = builder.Build();
        app.MapFunctionsSyncApi();
        await app.StartAsync();
        return app;
    }

    public static string BaseUrl(WebApplication app) => app.Urls.First().TrimEnd('/');
}

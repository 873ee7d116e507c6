using System.Security.Cryptography;
using FunctionsSync.Core.Access;
using FunctionsSync.Host.Demo;
using FunctionsSync.Host.Workers;
using FunctionsSync.Hosting;

using FunctionsSync.Host.Api;
using FunctionsSync.Hosting.Api;

namespace FunctionsSync.Host;

public static class SelfHostedExtensions
{
    /// <summary>The self-hosted runtime: the shared registration plus scheduler, queue workers and the demo seeder.</summary>
    public static WebApplicationBuilder AddSelfHostedFunctionsSync(this WebApplicationBuilder builder, bool withScheduler = true)
    {
        // The port `func start` uses, so the API is at the same address whichever way it runs.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:7071");
        }

        // Kestrel answers a request line beyond its limit itself, with an empty 414; well above Api:MaxUrlLength, the
        // app's own 414 problem answers instead.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestLineSize = 64 * 1024);

        var demo = builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:Enabled");
        if (demo && string.IsNullOrEmpty(builder.Configuration[$"{ApiOptions.SectionName}:AdminKey"]))
        {
            var key = "fsa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{ApiOptions.SectionName}:AdminKey"] = key });
        }

        if (demo)
        {
            // The demo validates receipts and receives webhooks at the simulator.
            var simulator = new Uri(builder.Configuration[$"{DemoOptions.SectionName}:SimulatorUrl"] ?? new DemoOptions().SimulatorUrl);
            var defaults = new Dictionary<string, string?>();
            if (string.IsNullOrEmpty(builder.Configuration["Receipts:ValidatorUrl"]))
            {
                defaults["Receipts:ValidatorUrl"] = new Uri(simulator, "/mock/{marketplace}/validate").ToString().Replace("%7B", "{").Replace("%7D", "}");
                defaults["Receipts:ValidatorUser"] = "simulator";
                defaults["Receipts:ValidatorPassword"] = "simulator";
            }

            // The demo's webhooks go to the simulator's receivers and its connections to the simulator's marketplace
            // paths, on loopback: those paths of that address are allowed, nothing else of it (not its control API).
            var authority = simulator.Authority;
            if (builder.Configuration.GetSection("Webhooks:AllowedHosts").GetChildren().All(c => c.Value?.StartsWith(authority, StringComparison.OrdinalIgnoreCase) != true))
            {
                defaults["Webhooks:AllowedHosts:99"] = authority + "/mock/webhooks/";
            }

            if (builder.Configuration.GetSection("Marketplaces:AllowedHosts").GetChildren().All(c => c.Value?.StartsWith(authority, StringComparison.OrdinalIgnoreCase) != true))
            {
                string[] marketplaces = ["shopify", "woocommerce", "etsy", "amazon"];
                for (var i = 0; i < marketplaces.Length; i++)
                {
                    defaults[$"Marketplaces:AllowedHosts:{96 + i}"] = $"{authority}/{marketplaces[i]}";
                }
            }

            builder.Configuration.AddInMemoryCollection(defaults);
        }

        builder.AddFunctionsSync();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StorageUnavailableHandler>();
        builder.Services.AddHttpClient();
        builder.Services.AddFunctionsSyncOpenApi();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<OnceRunner>();
        // Seed first, so the first cycle already sees the demo connections.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoSeeder>());
        builder.Services.AddSingleton<SchedulerService>();
        if (withScheduler)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SchedulerService>());
        }

        builder.Services.AddSingleton<WorkerPasses>();
        builder.Services.AddHostedService<QueueWorkerService>();
        builder.Services.AddHostedService<WebhookWorkerService>();
        builder.Services.AddHostedService<RetryWorkerService>();
        builder.Services.AddHostedService<RetentionWorkerService>();
        builder.Services.AddHostedService<QueueMetricsService>();
        return builder;
    }
}

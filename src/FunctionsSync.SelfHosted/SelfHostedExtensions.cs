using FunctionsSync.SelfHosted.Workers;
using FunctionsSync.Hosting;

using FunctionsSync.SelfHosted.Api;
using FunctionsSync.Hosting.Api;

namespace FunctionsSync.SelfHosted;

public static class SelfHostedExtensions
{
    /// <summary>The self-hosted runtime: the shared registration plus scheduler, queue workers and background passes (the demo: <see cref="Demo.DemoHostingExtensions.AddDemo"/>).</summary>
    public static WebApplicationBuilder AddSelfHostedFunctionsSync(this WebApplicationBuilder builder, bool withScheduler = true)
    {
        // The port `func start` uses, so the API is at the same address whichever way it runs.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:7071");
        }

        // Kestrel answers a request line beyond its limit itself, with an empty 414; well above Api:MaxUrlLength, the
        // app's own 414 problem answers instead.
        // A slow client (headers or body trickling in) is cut off at the Api: limits, not left holding a connection.
        var api = builder.Configuration.GetSection(Core.Access.ApiOptions.SectionName).Get<Core.Access.ApiOptions>() ?? new Core.Access.ApiOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
            kestrel.Limits.RequestHeadersTimeout = api.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(api.MinBodyBytesPerSecond, api.MinBodyRateGrace);
        });

        builder.AddFunctionsSync();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddHttpClient();
        builder.Services.AddFunctionsSyncOpenApi();
        builder.Services.AddSingleton<SchedulerService>();
        if (withScheduler)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SchedulerService>());
        }

        builder.Services.AddSingleton<WorkerPasses>();
        builder.Services.AddHostedService<QueueWorkerService>();
        builder.Services.AddHostedService<WebhookWorkerService>();
        builder.Services.AddHostedService<AmazonNotificationWorkerService>();
        builder.Services.AddHostedService<RetryWorkerService>();
        builder.Services.AddHostedService<RetentionWorkerService>();
        builder.Services.AddHostedService<QueueMetricsService>();
        return builder;
    }
}

using FunctionsSync.Core.Api;
using FunctionsSync.Core.Events;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Functions.Http;
using FunctionsSync.Functions.Webhooks;
using FunctionsSync.Hosting.Api;
using FunctionsSync.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FunctionsSync.Functions;

/// <summary>The app's services, as Program.cs registers them (and the tests, which run these functions on an in-process Durable engine).</summary>
public static class FunctionsAppRegistration
{
    public static IHostApplicationBuilder AddFunctionsSyncApp(this IHostApplicationBuilder builder)
    {
        // Runs start as Durable orchestrations with the client bound to each HTTP call, so dispatching only collects them.
        // Registered before AddFunctionsSync, whose storage registration only adds a dispatcher when none exists.
        builder.Services.AddSingleton<IRunDispatcher, CollectingRunDispatcher>();
        builder.Services.AddSingleton<Orchestration.CollectedRunStarter>();
        builder.AddFunctionsSync();
        builder.AddAzureMonitorTelemetry();
        builder.Services.AddSingleton<IFullCycleStarter, DurableFullCycleStarter>();
        // A function invocation is not held open for minutes: each events answer ends, and EventSource polls.
        builder.Services.AddSingleton(new EventDelivery(HoldOpen: false));
        builder.Services.AddSingleton<ApiDocument>();
        builder.Services.AddWebhookQueueBindingCheck();
        return builder;
    }
}

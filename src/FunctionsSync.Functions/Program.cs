using FunctionsSync.Core.Jobs;
using FunctionsSync.Functions.Webhooks;
using FunctionsSync.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Runs start as Durable orchestrations with the client bound to each HTTP call, so dispatching only collects them.
// Registered before AddFunctionsSync, whose storage registration only adds a dispatcher when none exists.
builder.Services.AddSingleton<IRunDispatcher, CollectingRunDispatcher>();
builder.AddFunctionsSync();
builder.Services.AddSingleton<FunctionsSync.Functions.Http.HttpApi>();
builder.Services.AddWebhookQueueBindingCheck();

builder.Build().Run();

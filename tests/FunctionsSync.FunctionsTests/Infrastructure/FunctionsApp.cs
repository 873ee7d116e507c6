using DurableTask.AzureStorage;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Records;
using FunctionsSync.Functions;
using FunctionsSync.Functions.Activities;
using FunctionsSync.Functions.Orchestration;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// The Functions app as Program.cs wires it (<see cref="FunctionsAppRegistration.AddFunctionsSyncApp"/>), its real
/// orchestrator functions and activity classes registered on the Durable Task SDK's in-process engine under their
/// function names, on Azurite (a table prefix of its own) and the simulator.
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    public const string AdminKey = "functions-admin-key-0123456789";

    private readonly IHost app;
    private SidecarDurableHost? sidecar;

    private FunctionsApp(IHost app, SimulatorFixture simulator, string prefix)
    {
        this.app = app;
        Simulator = simulator;
        Prefix = prefix;
    }

    public SimulatorFixture Simulator { get; }

    public string Prefix { get; }

    public IServiceProvider Services => app.Services;

    public DurableTaskClient Client => sidecar!.Client;

    public static async Task<FunctionsApp> StartAsync(
        AzuriteFixture storage, SimulatorFixture simulator, string name, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? after = null,
        Func<string, AzureStorageOrchestrationServiceSettings>? azureStorageBackend = null, HistoryMeter? historyMeter = null)
    {
        var prefix = name + Guid.NewGuid().ToString("N")[..6];
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Secrets:Keys:0:Id"] = TestSecrets.KeyId,
            ["Secrets:Keys:0:Key"] = TestSecrets.KeyMaterial,
            ["WebhookQueueName"] = prefix + "webhookevents",
            ["AmazonNotificationQueueName"] = prefix + "amazonnotifications",
            ["Api:AdminKey"] = AdminKey,
            // Tests read the status right after what they change: worked out on every request (StatusSnapshotsTests keeps the cache).
            ["Api:StatusCacheDuration"] = "00:00:00",
            ["Sync:PageSize"] = "250",
            ["Marketplaces:BaseDelay"] = "00:00:00.050",
            ["Marketplaces:MaxDelay"] = "00:00:00.500",
            ["Marketplaces:RateLimitsEnabled"] = "false",
            // The simulator listens on loopback: the outbound policy refuses it unless allow-listed.
            ["Marketplaces:AllowedHosts:0"] = "127.0.0.1",
            // The simulator makes a report in a poll or two.
            ["Marketplaces:Amazon:PollInterval"] = "00:00:00.010",
            ["Marketplaces:Shopify:BulkPollInterval"] = "00:00:00.010",
            ["Orchestration:ActivityFirstRetryInterval"] = "00:00:01",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.AddFilter(_ => false);
        builder.AddFunctionsSyncApp();
        after?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        var functionsApp = new FunctionsApp(host, simulator, prefix);
        // The test host's gRPC sidecar is a default host that logs every request to the console; its configuration
        // reads the environment, so this keeps the test output to warnings.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        if (azureStorageBackend is not null)
        {
            functionsApp.sidecar = await SidecarDurableHost.OnAzureStorageAsync(azureStorageBackend(prefix), functionsApp.Register);
        }
        else
        {
            // The in-memory engine behind our own sidecar on a port Kestrel picks (DurableTaskTestHost picks one at
            // random in 30000-40000 and collided with another process under load); a meter, if given, reads its worker stream.
            functionsApp.sidecar = await SidecarDurableHost.InMemoryAsync(functionsApp.Register, 10, historyMeter);
        }

        return functionsApp;
    }

    /// <summary>A function class as the worker creates it: constructed from the app's services.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(app.Services);

    /// <summary>A request to the API trigger, as the host hands it over, with the Durable client bound.</summary>
    public Task<HttpAnswer> ApiAsync(string method, string path, object? body = null, string? key = AdminKey) =>
        HttpCall.InvokeAsync(r => Function<Functions.Http.ApiFunction>().RunAsync(r, Client), method, path, body, key);

    public async Task<(Connection Connection, SimStore Store)> AddStoreAsync(string marketplace, string storeId, SimStoreConfig config, string organizationId = "org-functions", IReadOnlyDictionary<string, string>? settings = null)
    {
        var credentials = Credentials(marketplace, storeId);
        var store = Simulator.State.PutStore(marketplace, storeId, config with { Credentials = credentials });
        var result = await Services.GetRequiredService<IConnectionStore>().RegisterAsync(
            new ConnectionRegistration(organizationId, marketplace, storeId, $"{marketplace} {storeId}", credentials,
                new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["baseUrl"] = Simulator.BaseUrlFor(marketplace, storeId) }),
            CancellationToken.None);
        return (result.Connection, store);
    }

    /// <summary>Asserts the connection holds exactly the simulated store's records.</summary>
    public async Task AssertStoredEqualsSimulatorAsync(Connection connection, SimStore store)
    {
        var records = Services.GetRequiredService<IRecordQuery>();
        foreach (var type in EntityTypes.All)
        {
            var stored = new Dictionary<string, StoredRecord>();
            await foreach (var row in records.ListAsync(connection.Id, type, CancellationToken.None))
            {
                Assert.True(stored.TryAdd(row.Record.ExternalId, row), $"{type} {row.Record.ExternalId} stored twice");
            }

            Expected.Matches(Expected.For(store, type), stored, $"{store.Marketplace} {type.ToWire()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync();
        }

        await app.StopAsync();
        app.Dispose();
    }

    private static Dictionary<string, string> Credentials(string marketplace, string storeId) => marketplace switch
    {
        MarketplaceNames.Shopify => new() { ["accessToken"] = $"shpat_{storeId}" },
        MarketplaceNames.WooCommerce => new() { ["consumerKey"] = $"ck_{storeId}", ["consumerSecret"] = $"cs_{storeId}" },
        MarketplaceNames.Etsy => new() { ["apiKey"] = $"key_{storeId}", ["accessToken"] = $"etsy_{storeId}" },
        MarketplaceNames.Medipim => new() { ["apiKeyId"] = $"id-{storeId}", ["apiKeySecret"] = $"secret-{storeId}" },
        MarketplaceNames.Odoo => new() { ["apiKey"] = $"odoo-key-{storeId}" },
        _ => new() { ["accessToken"] = $"Atza|{storeId}" },
    };

    private void Register(DurableTaskRegistry registry) => AppDurableFunctions.Register(registry, app.Services);
}

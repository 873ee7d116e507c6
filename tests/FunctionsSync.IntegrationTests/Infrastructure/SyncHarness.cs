using FunctionsSync.Core;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Sync;
using FunctionsSync.Marketplaces;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>The sync engine wired as a host wires it, on its own table prefix, against Azurite and the simulator.</summary>
public sealed class SyncHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;

    /// <param name="replace">Registers services ahead of the defaults (which are added with TryAdd), e.g. a fault-injecting one.</param>
    public SyncHarness(AzuriteFixture storage, SimulatorFixture simulator, string tablePrefix, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? replace = null)
    {
        Simulator = simulator;
        TablePrefix = tablePrefix = TestRun.Prefixed(tablePrefix);
        Settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage.ConnectionString,
            ["Storage:TablePrefix"] = tablePrefix,
            ["Secrets:Keys:0:Id"] = TestSecrets.KeyId,
            ["Secrets:Keys:0:Key"] = TestSecrets.KeyMaterial,
            ["Sync:PageSize"] = "250",
            // Page-by-page writes: many tests follow single pages (stops, crashes, faults after page N).
            ["Sync:MinRecordsPerWrite"] = "1",
            ["Sync:LeaseDuration"] = "00:00:30",
            ["Marketplaces:BaseDelay"] = "00:00:00.050",
            ["Marketplaces:RateLimitsEnabled"] = "false",
            // The simulator listens on loopback: the outbound policy refuses it unless allow-listed.
            ["Marketplaces:AllowedHosts:0"] = "127.0.0.1",
            ["Marketplaces:MaxDelay"] = "00:00:00.500",
            // The simulator makes a report in a poll or two; each test's documents in a folder of its own.
            ["Marketplaces:Amazon:PollInterval"] = "00:00:00.010",
            ["Marketplaces:Amazon:Directory"] = Path.Combine(Path.GetTempPath(), "functionssync-tests", tablePrefix + "-" + Guid.NewGuid().ToString("N")[..8]),
            ["Marketplaces:Shopify:BulkPollInterval"] = "00:00:00.010",
            ["Marketplaces:Shopify:Directory"] = Path.Combine(Path.GetTempPath(), "functionssync-tests", tablePrefix + "-bulk-" + Guid.NewGuid().ToString("N")[..8]),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var collection = new ServiceCollection();
        replace?.Invoke(collection);
        services = collection
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddFunctionsSyncCore()
            .AddFunctionsSyncStorage()
            .AddFunctionsSyncMarketplaces()
            .BuildServiceProvider(validateScopes: true);
    }

    public SimulatorFixture Simulator { get; }
    public string TablePrefix { get; }
    public Dictionary<string, string?> Settings { get; }

    public IServiceProvider Services => services;

    public ConnectionSyncer Syncer => services.GetRequiredService<ConnectionSyncer>();
    public IConnectionStore Connections => services.GetRequiredService<IConnectionStore>();
    public ISyncStateStore State => services.GetRequiredService<ISyncStateStore>();
    public IRecordQuery Records => services.GetRequiredService<IRecordQuery>();

    /// <summary>Creates a simulated store and registers a connection to it with the right credentials.</summary>
    /// <param name="settings">Connection settings beside the simulator's <c>baseUrl</c>, e.g. <see cref="Rest"/>.</param>
    public async Task<(Connection Connection, SimStore Store)> AddStoreAsync(string marketplace, string storeId, SimStoreConfig config, string organizationId = "org-tests", IReadOnlyDictionary<string, string>? settings = null)
    {
        var credentials = CredentialsFor(marketplace, storeId);
        var store = Simulator.State.PutStore(marketplace, storeId, config with { Credentials = credentials });
        var result = await Connections.RegisterAsync(
            new ConnectionRegistration(organizationId, marketplace, storeId, $"{marketplace} {storeId}", credentials,
                new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["baseUrl"] = BaseUrlFor(marketplace, storeId) }),
            CancellationToken.None);
        return (result.Connection, store);
    }

    /// <summary>A Shopify connection on the REST Admin API, for tests that count or fault its pages and requests.</summary>
    public static readonly IReadOnlyDictionary<string, string> Rest = new Dictionary<string, string> { ["api"] = "rest" };

    public string BaseUrlFor(string marketplace, string storeId) => Simulator.BaseUrlFor(marketplace, storeId);

    public static Dictionary<string, string> CredentialsFor(string marketplace, string storeId) => marketplace switch
    {
        MarketplaceNames.Shopify => new() { ["accessToken"] = $"shpat_{storeId}" },
        MarketplaceNames.WooCommerce => new() { ["consumerKey"] = $"ck_{storeId}", ["consumerSecret"] = $"cs_{storeId}" },
        MarketplaceNames.Etsy => new() { ["apiKey"] = $"key_{storeId}", ["accessToken"] = $"etsy_{storeId}" },
        MarketplaceNames.Medipim => new() { ["apiKeyId"] = $"id-{storeId}", ["apiKeySecret"] = $"secret-{storeId}" },
        MarketplaceNames.Odoo => new() { ["apiKey"] = $"odoo-key-{storeId}" },
        _ => new() { ["accessToken"] = $"Atza|{storeId}" },
    };

    /// <summary>Every stored record of a connection, by entity type and external id.</summary>
    public async Task<Dictionary<EntityType, Dictionary<string, StoredRecord>>> SnapshotAsync(string connectionId)
    {
        var snapshot = new Dictionary<EntityType, Dictionary<string, StoredRecord>>();
        foreach (var type in EntityTypes.All)
        {
            var rows = new Dictionary<string, StoredRecord>();
            await foreach (var row in Records.ListAsync(connectionId, type, CancellationToken.None))
            {
                Assert.True(rows.TryAdd(row.Record.ExternalId, row), $"{type} {row.Record.ExternalId} stored twice");
            }

            snapshot[type] = rows;
        }

        return snapshot;
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

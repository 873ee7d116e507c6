using FunctionsSync.Core.Connections;
using FunctionsSync.Simulator;
using FunctionsSync.Simulator.Data;
using Microsoft.AspNetCore.Builder;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>The marketplace simulator on a free loopback port, spoken to over real HTTP.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private WebApplication? app;

    public string BaseUrl { get; private set; } = "";

    public SimulatorState State => app!.State();

    /// <summary>What a connection's <c>settings.baseUrl</c> is for a store of the simulator.</summary>
    public string BaseUrlFor(string marketplace, string storeId) =>
        marketplace == MarketplaceNames.Etsy ? $"{BaseUrl}/etsy" : $"{BaseUrl}/{marketplace}/{storeId}";

    /// <summary>The paths (with query) of the requests the simulator answered a store without an error, in order.</summary>
    public List<string> AnsweredPaths(SimStore store) =>
        [.. State.Requests.Where(r => r.StoreId == store.StoreId && r.Status < 400).Select(r => r.Path)];

    public async Task InitializeAsync()
    {
        app = SimulatorApp.Build([], o => o.RateLimits = false);
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        BaseUrl = app.Urls.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

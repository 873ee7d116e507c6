using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>A simulated store and its connection registered over the host's HTTP API.</summary>
public static class SimulatedConnections
{
    /// <returns>The connection id and sync token the API answered, and the simulator's store.</returns>
    public static async Task<(string ConnectionId, string SyncToken, SimStore Store)> RegisterSimulatedAsync(
        this HttpClient client, SimulatorFixture simulator, string organizationId, string marketplace, string storeId, SimStoreConfig config, IReadOnlyDictionary<string, string>? settings = null)
    {
        var credentials = SyncHarness.CredentialsFor(marketplace, storeId);
        var store = simulator.State.PutStore(marketplace, storeId, config with { Credentials = credentials });
        var body = await (await client.PostJsonAsync("/api/connections", new
        {
            organizationId, marketplace, externalStoreId = storeId, name = storeId, credentials,
            settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["baseUrl"] = simulator.BaseUrlFor(marketplace, storeId) },
        })).ReadJsonAsync();
        return (body.GetProperty("connectionId").GetString()!, body.GetProperty("syncToken").GetString()!, store);
    }
}

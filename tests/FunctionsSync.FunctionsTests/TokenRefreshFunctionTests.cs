using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Functions.Http;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Marketplaces.OAuth;
using FunctionsSync.Simulator.Data;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.FunctionsTests;

/// <summary>
/// The Functions app refreshes expiring access tokens like the self-hosted runtime: a sync's activity and a second
/// instance of the app (scale-out) asking for the same connection's token at once spend its refresh token once.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed class TokenRefreshFunctionTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_sync_activity_and_a_second_app_instance_racing_spend_the_refresh_token_once()
    {
        var prefix = "ftok" + Guid.NewGuid().ToString("N")[..6];
        var settings = new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = prefix,
            ["WebhookQueueName"] = prefix + "webhookevents",
            ["AmazonNotificationQueueName"] = prefix + "amazonnotifications",
            ["Marketplaces:OAuth:Clients:etsy:ClientId"] = "app-client",
            ["Marketplaces:OAuth:Clients:etsy:TokenUrl"] = $"{simulator.BaseUrl}/etsy/v3/public/oauth/token",
        };
        await using var one = await FunctionsApp.StartAsync(storage, simulator, "ftokone", settings);
        await using var two = await FunctionsApp.StartAsync(storage, simulator, "ftoktwo", settings);
        const string storeId = "6400001";
        var credentials = new Dictionary<string, string> { [OAuthTokenState.RefreshTokenKey] = "refresh-6400001", ["apiKey"] = "key_6400001" };
        var store = simulator.State.PutStore("etsy", storeId, new SimStoreConfig { Orders = 200, Products = 60, Customers = 0, Seed = 75, Credentials = new(credentials) { ["clientId"] = "app-client" } });
        var connection = (await one.Services.GetRequiredService<IConnectionStore>().RegisterAsync(
            new ConnectionRegistration("org-functions", "etsy", storeId, "etsy oauth", credentials, new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("etsy", storeId) }),
            CancellationToken.None)).Connection;
        // The token endpoint answers slowly: every caller arrives while the first refresh is in flight.
        simulator.State.BeforeServing = (_, path) =>
        {
            if (path.Contains("/oauth/token", StringComparison.Ordinal))
            {
                Thread.Sleep(300);
            }
        };
        try
        {
            var answer = await one.ApiAsync("POST", "/api/sync/trigger", new { connectionIds = new[] { connection.Id }, mode = "full" });
            Assert.Equal(202, answer.Status);
            var racing = Enumerable.Range(0, 6).Select(_ => two.Services.GetRequiredService<AccessTokens>().CurrentAsync(connection, null, CancellationToken.None)).ToList();
            var runId = answer.Json.GetProperty("runs")[0].GetProperty("runId").GetString()!;
            var instanceId = SyncActivities.InstanceIdFor(runId);
            await Eventually.WaitForAsync(() => one.Client.GetInstanceAsync(instanceId), i => i is not null);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var done = await one.Client.WaitForInstanceCompletionAsync(instanceId, false, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            var tokens = (await Task.WhenAll(racing)).Select(c => c.Credential(OAuthTokenState.AccessTokenKey)).Distinct().ToList();
            Assert.Single(tokens);
        }
        finally
        {
            simulator.State.BeforeServing = null;
        }

        Assert.Equal(1, store.Tokens.Refreshes);
        await one.AssertStoredEqualsSimulatorAsync(connection, store);
    }
}

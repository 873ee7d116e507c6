using System.Text;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Secrets at rest: after syncs that used and refreshed tokens, no row of any table holds a credential, a refresh or
/// access token, a sync token (kept only as its hash) or a webhook secret, in plain text or base64; a key rotation followed by the re-wrap
/// pass leaves every secret under the new key and every connection syncing with the old key gone.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class SecretsAtRestTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string SecondKeyMaterial = "second-key-material-after-rotation-0123456789";

    [Fact]
    public async Task No_table_row_holds_a_secret_in_plain_text_or_base64()
    {
        await using var harness = new SyncHarness(storage, simulator, "atrest", OAuthSettings());
        var connections = new List<Connection>();
        var syncTokens = new List<string>();
        foreach (var (marketplace, storeId) in new[] { (MarketplaceNames.Etsy, "6500001"), (MarketplaceNames.WooCommerce, "woo-atrest"), (MarketplaceNames.Shopify, "shop-atrest") })
        {
            var registered = await RegisterAsync(harness, marketplace, storeId);
            var connection = registered.Connection;
            syncTokens.Add(registered.IssuedSyncToken!);
            var run = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
            Assert.True(run.Run!.Status == RunStatus.Succeeded, run.Run.Error);
            connections.Add((await harness.Connections.GetAsync(connection.Id, CancellationToken.None))!);
        }

        var webhooks = harness.Services.GetRequiredService<IWebhookStore>();
        var endpoint = new WebhookEndpoint
        {
            Id = "wh_atrest" + TestRun.Suffix, OrganizationId = "org-atrest", TargetUrl = "https://example.com/hook", Events = [WebhookEventTypes.SyncCompleted],
            Secret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("current-webhook-secret-value")),
            PreviousSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("previous-webhook-secret-value")),
            PreviousSecretExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
        };
        await webhooks.CreateEndpointAsync(endpoint, CancellationToken.None);

        // Everything the test knows to be secret: what the stores read back (decrypted), which must be what was written.
        var secrets = connections.SelectMany(c => c.Credentials.Where(p => p.Key is not ("accessTokenExpiresAt" or "refreshTokenIssuedAt" or "refreshedAt")).Select(p => p.Value))
            .Concat(syncTokens)
            .Concat([endpoint.Secret, endpoint.PreviousSecret!])
            .ToList();
        Assert.Contains(connections, c => OAuthTokenState.From(c)?.AccessToken is not null);
        Assert.Equal(endpoint.Secret, (await webhooks.GetEndpointAsync(endpoint.Id, CancellationToken.None))!.Secret);

        // The scan sees every row: what is stored in the clear (the organization's id) it finds.
        Assert.NotEmpty(await TableScan.FindAsync(storage, harness.TablePrefix, ["org-atrest"]));
        var found = await TableScan.FindAsync(storage, harness.TablePrefix, secrets);
        Assert.True(found.Count == 0, "secrets in plain text at rest:\n" + string.Join("\n", found.Take(10)));
    }

    [Fact]
    public async Task A_key_rotation_and_the_rewrap_pass_leave_every_secret_under_the_new_key_and_every_connection_syncing()
    {
        const string prefix = "rotate";
        Connection connection;
        await using (var before = new SyncHarness(storage, simulator, prefix, OAuthSettings()))
        {
            connection = (await RegisterAsync(before, MarketplaceNames.Etsy, "6500002")).Connection;
            var run = await before.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
            Assert.True(run.Run!.Status == RunStatus.Succeeded, run.Run.Error);
            await before.Services.GetRequiredService<IWebhookStore>().CreateEndpointAsync(new WebhookEndpoint
            {
                Id = "wh_rotate" + TestRun.Suffix, OrganizationId = "org-atrest", TargetUrl = "https://example.com/hook", Events = [WebhookEventTypes.SyncCompleted], Secret = "whsec_rotate",
            }, CancellationToken.None);
        }

        // The new key is listed last: new writes use it, the old one still reads; the pass rewrites what the old one holds.
        var rotated = OAuthSettings();
        rotated["Secrets:Keys:1:Id"] = "test2";
        rotated["Secrets:Keys:1:Key"] = SecondKeyMaterial;
        await using (var during = new SyncHarness(storage, simulator, prefix, rotated))
        {
            var rewrap = during.Services.GetRequiredService<SecretRewrap>();
            Assert.Equal((1, 1), await rewrap.RunAsync(CancellationToken.None));
            Assert.Equal((0, 0), await rewrap.RunAsync(CancellationToken.None));
        }

        var protectedValues = await TableScan.FindAsync(storage, TestRun.Prefixed(prefix), [], column: "Secrets");
        Assert.Equal(2, protectedValues.Count);
        Assert.All(protectedValues, v => Assert.StartsWith("fse1.test2.", v, StringComparison.Ordinal));

        // The old key gone: the connection still reads, refreshes and syncs.
        var only = OAuthSettings();
        only["Secrets:Keys:0:Id"] = "test2";
        only["Secrets:Keys:0:Key"] = SecondKeyMaterial;
        await using var after = new SyncHarness(storage, simulator, prefix, only);
        var again = await after.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(again.Run!.Status == RunStatus.Succeeded, again.Run.Error);
        Assert.Equal("whsec_rotate", (await after.Services.GetRequiredService<IWebhookStore>().GetEndpointAsync("wh_rotate" + TestRun.Suffix, CancellationToken.None))!.Secret);
    }

    private Dictionary<string, string?> OAuthSettings() => new()
    {
        ["Marketplaces:OAuth:Clients:etsy:ClientId"] = "app-client",
        ["Marketplaces:OAuth:Clients:etsy:TokenUrl"] = $"{simulator.BaseUrl}/etsy/v3/public/oauth/token",
    };

    private async Task<ConnectionRegistrationResult> RegisterAsync(SyncHarness harness, string marketplace, string storeId)
    {
        var credentials = marketplace == MarketplaceNames.Etsy
            ? new Dictionary<string, string> { [OAuthTokenState.RefreshTokenKey] = $"etsy-refresh-{storeId}-{TestRun.Suffix}", ["apiKey"] = $"etsy-api-key-{storeId}" }
            : SyncHarness.CredentialsFor(marketplace, storeId);
        simulator.State.PutStore(marketplace, storeId, new SimStoreConfig { Orders = 40, Products = 20, Customers = 10, Seed = 81, Credentials = new(credentials) { ["clientId"] = "app-client" } });
        return await harness.Connections.RegisterAsync(
            new ConnectionRegistration("org-atrest", marketplace, storeId, $"{marketplace} {storeId}", credentials, new Dictionary<string, string> { ["baseUrl"] = harness.BaseUrlFor(marketplace, storeId) }),
            CancellationToken.None);
    }
}

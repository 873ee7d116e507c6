using FunctionsSync.Core.Connections;
using FunctionsSync.SelfHosted.Demo;
using FunctionsSync.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// The demo <c>scripts/run.sh --once</c> runs, in the test host: its Amazon, Etsy and Shopify connections hold only a
/// seller's refresh token and refresh their access tokens at the simulator's token endpoints; after the cycle no row
/// of any table holds a credential, an access or refresh token the simulator issued, a webhook secret or a sync token,
/// in plain text or base64.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DemoCycleTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task After_the_demo_cycle_no_table_row_holds_a_credential_a_token_or_a_secret()
    {
        await using var host = new HostApp(storage, "democycle", new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:SimulatorUrl"] = simulator.BaseUrl,
            ["Demo:Organizations"] = "1",
            ["Demo:Orders"] = "150",
            ["Demo:Products"] = "40",
            ["Demo:Customers"] = "30",
        });
        using var client = host.Client();
        var output = new StringWriter();
        var code = await host.Services.GetRequiredService<OnceRunner>().RunAsync(output, CancellationToken.None);
        Assert.True(code == 0, output.ToString());

        var seeder = host.Services.GetRequiredService<DemoSeeder>();
        Assert.Equal(MarketplaceNames.All.Count, seeder.Seeded.Count);
        var secrets = new List<string> { DemoOAuth.ClientSecret };
        foreach (var connection in seeder.Seeded)
        {
            secrets.AddRange(DemoSeeder.Credentials(connection.Marketplace, connection.ExternalStoreId).Values);
            var tokens = simulator.State.GetStore(connection.Marketplace, connection.ExternalStoreId)!.Tokens;
            if (connection.Marketplace != MarketplaceNames.WooCommerce)
            {
                // The connection began with a refresh token only: every access token it used came from a refresh.
                Assert.True(tokens.Refreshes >= 1, $"{connection.Marketplace}: no refresh");
                secrets.AddRange(tokens.Issued);
            }

            // A sync token as an operator gets one (shown once); the one of the registration was never shown.
            var rotated = await (await client.PostAsync($"/api/connections/{connection.Id}/sync-token", null)).ReadJsonAsync();
            secrets.Add(rotated.GetProperty("syncToken").GetString()!);
        }

        secrets.AddRange(seeder.Endpoints.Select(e => e.Secret));
        var prefix = TestRun.Prefixed("democycle");
        // The scan reads every row: what is stored in the clear (the organization's id) it finds.
        Assert.NotEmpty(await TableScan.FindAsync(storage, prefix, ["demo-org-1"]));
        var found = await TableScan.FindAsync(storage, prefix, secrets);
        Assert.True(found.Count == 0, "secrets in plain text at rest:\n" + string.Join("\n", found.Take(10)));
    }
}

using System.Net.Http.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace FunctionsSync.SelfHosted.Demo;

/// <summary>
/// Creates demo stores in the simulator and registers one connection per marketplace for each demo organization,
/// and one webhook endpoint per organization pointing at the simulator's verifying receiver.
/// Idempotent: connections and endpoints keep their ids across restarts.
/// </summary>
public sealed partial class DemoSeeder(
    IOptions<DemoOptions> options, IConnectionStore connections, IWebhookStore webhooks, IHttpClientFactory http, TimeProvider time, ILogger<DemoSeeder> logger) : IHostedService
{
    public IReadOnlyList<Connection> Seeded { get; private set; } = [];

    /// <summary>The demo organizations' webhook endpoints.</summary>
    public IReadOnlyList<WebhookEndpoint> Endpoints { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (!demo.Enabled)
        {
            return;
        }

        var client = http.CreateClient();
        var seeded = new List<Connection>();
        for (var org = 1; org <= demo.Organizations; org++)
        {
            foreach (var marketplace in MarketplaceNames.All)
            {
                var storeId = $"demo-org{org}-{marketplace}";
                var credentials = Credentials(marketplace, storeId);
                var store = new
                {
                    orders = demo.Orders,
                    products = marketplace == MarketplaceNames.Amazon ? 0 : demo.Products,
                    customers = demo.Customers,
                    seed = org * 100 + MarketplaceNames.All.ToList().IndexOf(marketplace),
                    // The simulator checks the app's client on each refresh grant, as the marketplaces do.
                    credentials = Expiring(marketplace)
                        ? new Dictionary<string, string>(credentials) { ["clientId"] = DemoOAuth.ClientId, ["clientSecret"] = DemoOAuth.ClientSecret }
                        : credentials,
                    // Amazon's real getOrders allowance (0.0167 requests/s) would stretch a demo to an hour.
                    // WooCommerce publishes no limit; its variable products cost a request each for their variations.
                    rateLimit = marketplace switch
                    {
                        MarketplaceNames.Amazon => new { capacity = 20, perSecond = 5 },
                        MarketplaceNames.WooCommerce => new { capacity = 50, perSecond = 50 },
                        _ => null,
                    },
                    // The demo's history (2024 onwards) in one order report, not forty 30-day ones.
                    reportMaxDays = 3650,
                };
                var response = await client.PutAsJsonAsync($"{demo.SimulatorUrl.TrimEnd('/')}/sim/stores/{marketplace}/{storeId}", store, cancellationToken);
                response.EnsureSuccessStatusCode();
                var baseUrl = marketplace == MarketplaceNames.Etsy ? $"{demo.SimulatorUrl.TrimEnd('/')}/etsy" : $"{demo.SimulatorUrl.TrimEnd('/')}/{marketplace}/{storeId}";
                var settings = new Dictionary<string, string> { ["baseUrl"] = baseUrl };
                if (marketplace == MarketplaceNames.WooCommerce)
                {
                    settings["rateLimitCapacity"] = "50";
                    settings["rateLimitPerSecond"] = "50";
                }

                if (marketplace == MarketplaceNames.Amazon)
                {
                    // The demo store's allowance (above); the client shapes its pace to it.
                    settings["rateLimitPerSecond"] = "5";
                    settings["historyStart"] = "2023-12-01T00:00:00Z";
                    settings["reportWindowDays"] = "3650";
                }

                var result = await connections.RegisterAsync(
                    new ConnectionRegistration($"demo-org-{org}", marketplace, storeId, $"Demo {marketplace} store {org}", credentials, settings),
                    cancellationToken);
                var connection = result.Connection;
                // The store was just made again, with its first refresh token: a connection kept from an earlier start holds
                // a successor the new store never issued, so it is given the store's authorization again (as a seller
                // re-authorizing the app would), which also schedules it again.
                if (!result.Created && (connection.DeletedAt is not null || Expiring(marketplace) || !settings.All(s => connection.Setting(s.Key) == s.Value)))
                {
                    var now = time.GetUtcNow();
                    connection = await connections.UpdateAsync(
                        connection.Id,
                        c => new ConnectionChange(Enabled: true, null, null, credentials, settings).ApplyTo(c with { DeletedAt = null }, now),
                        cancellationToken) ?? connection;
                }

                seeded.Add(connection);
            }
        }

        Seeded = seeded;
        Endpoints = await SeedWebhooksAsync(client, demo, cancellationToken);
        LogSeeded(seeded.Count, demo.Organizations, demo.SimulatorUrl);
    }

    private async Task<IReadOnlyList<WebhookEndpoint>> SeedWebhooksAsync(HttpClient client, DemoOptions demo, CancellationToken cancellationToken)
    {
        var endpoints = new List<WebhookEndpoint>();
        for (var org = 1; org <= demo.Organizations; org++)
        {
            var organizationId = $"demo-org-{org}";
            var receiver = $"{demo.SimulatorUrl.TrimEnd('/')}/mock/webhooks/{organizationId}";
            var endpoint = (await webhooks.ListEndpointsAsync(organizationId, cancellationToken)).FirstOrDefault(e => e.TargetUrl == receiver && e.DisabledAt is null);
            if (endpoint is null)
            {
                endpoint = new WebhookEndpoint
                {
                    Id = DeliveryIds.NewEndpointId(),
                    OrganizationId = organizationId,
                    TargetUrl = receiver,
                    Events = [.. WebhookEventTypes.All],
                    Description = "Demo: the simulator's verifying receiver",
                    Secret = WebhookSigner.NewSecret(),
                    CreatedAt = time.GetUtcNow(),
                };
                await webhooks.CreateEndpointAsync(endpoint, cancellationToken);
            }

            // A fresh simulator knows no secret; tell it, so it verifies every signature.
            (await client.PutAsJsonAsync($"{receiver}/secret", new { secret = endpoint.Secret }, cancellationToken)).EnsureSuccessStatusCode();
            endpoints.Add(endpoint);
        }

        return endpoints;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// What a seller's authorization gives: Amazon and Etsy a refresh token (their access tokens always expire), Shopify
    /// an expiring offline token's refresh token (public apps must use them from 2027-01-01), WooCommerce a key pair.
    /// </summary>
    public static Dictionary<string, string> Credentials(string marketplace, string storeId) => marketplace switch
    {
        MarketplaceNames.WooCommerce => new() { ["consumerKey"] = $"ck_{storeId}", ["consumerSecret"] = $"cs_{storeId}" },
        MarketplaceNames.Etsy => new() { ["apiKey"] = $"key_{storeId}", [OAuthTokenState.RefreshTokenKey] = $"etsy_refresh_{storeId}" },
        MarketplaceNames.Shopify => new() { [OAuthTokenState.RefreshTokenKey] = $"shprt_{storeId}" },
        _ => new() { [OAuthTokenState.RefreshTokenKey] = $"Atzr|{storeId}" },
    };

    private static bool Expiring(string marketplace) => marketplace != MarketplaceNames.WooCommerce;

    [LoggerMessage(6401, LogLevel.Information, "Demo: {Count} connections for {Organizations} organizations on the simulator at {Url}")]
    private partial void LogSeeded(int count, int organizations, string url);
}

using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Marketplaces.OAuth;
using FunctionsSync.Simulator.Data;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Access tokens that expire (Amazon LWA, Etsy, Shopify's expiring offline tokens), refreshed through each
/// marketplace's token endpoint as the simulator serves it: mid-run, once per expiry, one refresher at a time across
/// replicas, and a revoked authorization ends the run with the connection waiting for new credentials.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class TokenRefreshTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string ClientId = "app-client";
    private const string ClientSecret = "app-secret";

    [Theory]
    [InlineData(MarketplaceNames.Amazon, "amz-oauth")]
    [InlineData(MarketplaceNames.Etsy, "6300001")]
    [InlineData(MarketplaceNames.Shopify, "shop-oauth")]
    public async Task A_sync_longer_than_an_access_token_refreshes_mid_run_and_ends_exact(string marketplace, string storeId)
    {
        // One fake clock for the service and the store's tokens: each request the store serves takes 10 simulated
        // seconds, so a 60 s access token serves five or six, and the sync (a dozen pages or more) outlasts several.
        var clock = new OffsetClock();
        await using var harness = Harness("oauth" + marketplace[..3], new Dictionary<string, string?>
        {
            ["Marketplaces:OAuth:RefreshMargin"] = "00:00:15",
            // Leases and claims on the same clock, long enough that its jumps lapse none of them.
            ["Sync:LeaseDuration"] = "01:00:00",
            ["Marketplaces:OAuth:ClaimDuration"] = "00:10:00",
        }, clock);
        var (connection, store) = await AddAsync(harness, marketplace, storeId, new SimStoreConfig { Orders = 240, Products = 120, Customers = 60, Seed = 71, AccessTokenLifetimeSeconds = 60 }, clock);
        simulator.State.BeforeServing = (served, _) =>
        {
            if (served == storeId)
            {
                clock.Advance(TimeSpan.FromSeconds(10));
            }
        };
        try
        {
            var run = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
            Assert.True(run.Run!.Status == RunStatus.Succeeded, run.Run.Error);
        }
        finally
        {
            simulator.State.BeforeServing = null;
        }

        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in Expected.Supported(marketplace))
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"{marketplace} {type.ToWire()} through expiring tokens");
        }

        // Refreshed mid-run, about once per token's life: 60 s less the 15 s margin, less up to two requests (20 s) in
        // flight between the check and the marketplace's, never more often.
        var simulated = clock.Offset;
        Assert.True(simulated >= TimeSpan.FromSeconds(120), $"the sync took {simulated} on the fake clock");
        Assert.InRange(store.Tokens.Refreshes, 2, (int)(simulated.TotalSeconds / 25) + 2);
        if (marketplace != MarketplaceNames.Amazon)
        {
            // Rotating refresh tokens (Etsy, Shopify): none was spent twice. Amazon's LWA refresh token does not rotate.
            Assert.All(store.Tokens.SpentBy.Values, n => Assert.Equal(1, n));
        }
        var stored = OAuthTokenState.From((await harness.Connections.GetAsync(connection.Id, CancellationToken.None))!)!;
        Assert.Null(stored.Claim);
        Assert.NotNull(stored.RefreshedAt);
    }

    [Fact]
    public async Task Two_replicas_racing_to_refresh_one_connection_spend_its_refresh_token_once()
    {
        await using var one = Harness("oauthrace");
        await using var two = Harness("oauthrace");
        var (connection, store) = await AddAsync(one, MarketplaceNames.Etsy, "6300002", new SimStoreConfig { Orders = 10, Products = 10, Customers = 0, Seed = 72 });
        simulator.State.BeforeServing = (s, path) =>
        {
            // The token endpoint answers slowly, so every caller arrives while the first refresh is in flight.
            if (path.Contains("/oauth/token", StringComparison.Ordinal))
            {
                Thread.Sleep(150);
            }
        };
        try
        {
            var callers = Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? one : two).Services.GetRequiredService<AccessTokens>().CurrentAsync(connection, null, CancellationToken.None));
            var tokens = (await Task.WhenAll(callers)).Select(c => c.Credential(OAuthTokenState.AccessTokenKey)).Distinct().ToList();
            Assert.Single(tokens);
        }
        finally
        {
            simulator.State.BeforeServing = null;
        }

        Assert.Equal(1, store.Tokens.Refreshes);
        Assert.True(store.Tokens.Accepts(OAuthTokenState.From((await one.Connections.GetAsync(connection.Id, CancellationToken.None))!)!.AccessToken));
    }

    [Fact]
    public async Task A_revoked_authorization_fails_the_run_flags_the_connection_and_new_credentials_bring_it_back()
    {
        await using var harness = Harness("oauthrevoke");
        var (connection, store) = await AddAsync(harness, MarketplaceNames.Shopify, "shop-revoked", new SimStoreConfig { Orders = 30, Products = 10, Customers = 5, Seed = 73 });
        var first = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(first.Run!.Status == RunStatus.Succeeded, first.Run.Error);

        // The merchant uninstalls the app: its tokens stop working. The next page is refused, the refresh too.
        store.Tokens.Revoke();
        var failed = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.Equal(RunStatus.Failed, failed.Run!.Status);
        Assert.Equal(MarketplaceErrorKind.ReauthorizationRequired, failed.Run.ErrorKind);
        Assert.Contains("invalid_grant", failed.Run.Error, StringComparison.Ordinal);
        var flagged = (await harness.Connections.GetAsync(connection.Id, CancellationToken.None))!;
        Assert.Equal(ConnectionHealth.NeedsAttention, flagged.Health);
        var outbox = harness.Services.GetRequiredService<IOutbox>();
        Assert.NotNull(await outbox.GetAsync(connection.Id, WebhookPayloads.RunEventId(failed.Run.RunId, WebhookEventTypes.ReauthorizationRequired), CancellationToken.None));

        // The seller connects the store again: the operator sends the new refresh token (PATCH); syncing resumes.
        var reissued = "shprt_reconnected";
        store.Tokens.Reissue(reissued);
        var change = new ConnectionChange(null, null, null, new Dictionary<string, string> { [OAuthTokenState.RefreshTokenKey] = reissued }, null);
        await harness.Connections.UpdateAsync(connection.Id, c => change.ApplyTo(c, DateTimeOffset.UtcNow), CancellationToken.None);
        var resumed = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(resumed.Run!.Status == RunStatus.Succeeded, resumed.Run.Error);
        Assert.Equal(ConnectionHealth.Active, (await harness.Connections.GetAsync(connection.Id, CancellationToken.None))!.Health);
    }

    /// <summary>
    /// A runner process killed after the token endpoint answered and before it stored the answer: the simulator cuts
    /// the runner off from storage at the instant it has spent the refresh token and made new ones, and the test kills
    /// it there. The spent refresh token is still the stored one. The next run sends it again: Shopify honours it until
    /// its successor is used, and the run ends exact; Etsy has spent it, and the connection is flagged for a person,
    /// never silently stuck.
    /// </summary>
    [Theory]
    [InlineData(MarketplaceNames.Shopify, "shop-killed", true)]
    [InlineData(MarketplaceNames.Etsy, "6300003", false)]
    public async Task A_process_killed_after_the_token_endpoint_answered_and_before_it_stored_the_answer_is_recovered_where_the_marketplace_allows(string marketplace, string storeId, bool recovers)
    {
        await using var harness = Harness("oauthkill" + marketplace[..3], new Dictionary<string, string?>
        {
            ["Sync:LeaseDuration"] = "00:00:03",
            ["Marketplaces:OAuth:ClaimDuration"] = "00:00:02",
        });
        var (connection, store) = await AddAsync(harness, marketplace, storeId, new SimStoreConfig { Orders = 40, Products = 20, Customers = 10, Seed = 74 });
        var stored = OAuthTokenState.From(connection)!.RefreshToken;

        var (gatedStorage, gates) = TcpGate.Around(storage.ConnectionString);
        Assert.NotEmpty(gates);
        try
        {
            simulator.State.AfterTokenIssued = id =>
            {
                if (id == storeId)
                {
                    foreach (var gate in gates)
                    {
                        gate.Hold();
                    }
                }
            };
            using var runner = TestRunnerProcess.Start(harness, connection.Id, new Dictionary<string, string?> { ["Storage:ConnectionString"] = gatedStorage });
            await Eventually.WaitForAsync(
                () => Task.FromResult((Exited: runner.Process.HasExited, store.Tokens.Refreshes)),
                seen => seen.Refreshes >= 1 || (seen.Exited ? throw new Xunit.Sdk.XunitException($"the runner ended ({runner.Process.ExitCode}) before its refresh: {runner.Output}") : false),
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10));
            await runner.KillAsync();
        }
        finally
        {
            simulator.State.AfterTokenIssued = null;
            foreach (var gate in gates)
            {
                await gate.DisposeAsync();
            }
        }

        // The marketplace answered once and nothing reached storage: the refresh token stored is the one it spent.
        Assert.Equal(1, store.Tokens.Refreshes);
        var killed = (await harness.Connections.GetAsync(connection.Id, CancellationToken.None))!;
        Assert.Equal(stored, OAuthTokenState.From(killed)!.RefreshToken);

        // The dead runner's lease and claim lapse; the next run takes the connection over.
        var outcome = await Eventually.WaitForAsync(
            () => harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None), o => o.Kind != SyncOutcomeKind.LeaseHeld, TimeSpan.FromSeconds(30));
        var run = outcome.Run!;
        var after = (await harness.Connections.GetAsync(connection.Id, CancellationToken.None))!;
        if (recovers)
        {
            Assert.True(run.Status == RunStatus.Succeeded, run.Error);
            foreach (var type in EntityTypes.All)
            {
                Expected.Matches(Expected.For(store, type), (await harness.SnapshotAsync(connection.Id))[type], $"{type.ToWire()} after the lost refresh");
            }

            Assert.NotEqual(stored, OAuthTokenState.From(after)!.RefreshToken);
            Assert.Equal(ConnectionHealth.Active, after.Health);
        }
        else
        {
            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.Equal(MarketplaceErrorKind.ReauthorizationRequired, run.ErrorKind);
            Assert.Equal(ConnectionHealth.NeedsAttention, after.Health);
            Assert.Contains("invalid_grant", after.LastError, StringComparison.Ordinal);
        }
    }

    private SyncHarness Harness(string prefix, IReadOnlyDictionary<string, string?>? extra = null, TimeProvider? clock = null) => new(storage, simulator, prefix, new Dictionary<string, string?>
    {
        ["Marketplaces:OAuth:RefreshMargin"] = "00:00:00.100",
        ["Marketplaces:OAuth:ClaimPollInterval"] = "00:00:00.020",
        ["Marketplaces:OAuth:Clients:amazon:ClientId"] = ClientId,
        ["Marketplaces:OAuth:Clients:amazon:ClientSecret"] = ClientSecret,
        ["Marketplaces:OAuth:Clients:amazon:TokenUrl"] = $"{simulator.BaseUrl}/lwa/auth/o2/token",
        ["Marketplaces:OAuth:Clients:etsy:ClientId"] = ClientId,
        ["Marketplaces:OAuth:Clients:etsy:TokenUrl"] = $"{simulator.BaseUrl}/etsy/v3/public/oauth/token",
        ["Marketplaces:OAuth:Clients:shopify:ClientId"] = ClientId,
        ["Marketplaces:OAuth:Clients:shopify:ClientSecret"] = ClientSecret,
        ["Marketplaces:Shopify:BulkPollInterval"] = "00:00:00.050",
    }.Concat(extra ?? new Dictionary<string, string?>()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        services =>
        {
            if (clock is not null)
            {
                services.AddSingleton(clock);
            }
        });

    /// <summary>A store whose access tokens come from its refresh token, and a connection that holds only that (and Etsy's key).</summary>
    private async Task<(Connection Connection, SimStore Store)> AddAsync(SyncHarness harness, string marketplace, string storeId, SimStoreConfig config, TimeProvider? clock = null)
    {
        var refresh = $"refresh-{storeId}";
        var credentials = new Dictionary<string, string> { [OAuthTokenState.RefreshTokenKey] = refresh };
        if (marketplace == MarketplaceNames.Etsy)
        {
            credentials["apiKey"] = $"key_{storeId}";
        }

        var store = simulator.State.PutStore(marketplace, storeId, config with
        {
            Credentials = new Dictionary<string, string>(credentials) { ["clientId"] = ClientId, ["clientSecret"] = ClientSecret },
        }, clock);
        var settings = new Dictionary<string, string> { ["baseUrl"] = harness.BaseUrlFor(marketplace, storeId), ["batchSize"] = "20", ["fullSync"] = marketplace == MarketplaceNames.Amazon ? "orders" : "paged" };
        if (marketplace == MarketplaceNames.Etsy)
        {
            settings.Remove("fullSync");
        }

        var result = await harness.Connections.RegisterAsync(new ConnectionRegistration("org-oauth", marketplace, storeId, $"{marketplace} {storeId}", credentials, settings), CancellationToken.None);
        return (result.Connection, store);
    }
}

using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;

namespace FunctionsSync.UnitTests.Credentials;

public sealed class OAuthTokenStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_connection_without_a_refresh_token_has_no_token_state()
    {
        Assert.Null(OAuthTokenState.From(Connection(new() { ["accessToken"] = "shpat_custom" })));
    }

    [Fact]
    public void Tokens_round_trip_through_the_credentials_and_keep_the_others()
    {
        var state = new OAuthTokenState
        {
            RefreshToken = "r2",
            AccessToken = "a2",
            AccessTokenExpiresAt = Now.AddHours(1),
            RefreshTokenIssuedAt = Now.AddDays(-10),
            RefreshedAt = Now,
            Claim = new RefreshClaim("owner", Now.AddMinutes(1)),
            RefreshFailures = 2,
        };
        var connection = state.ApplyTo(Connection(new() { ["refreshToken"] = "r1", ["apiKey"] = "key" }));

        Assert.Equal(state, OAuthTokenState.From(connection));
        Assert.Equal("key", connection.Credential("apiKey"));
        var cleared = (state with { Claim = null, RefreshFailures = 0 }).ApplyTo(connection);
        Assert.DoesNotContain(cleared.Credentials.Keys, k => k is "refreshClaim" or "refreshFailures");
    }

    [Fact]
    public void An_access_token_is_fresh_only_while_more_than_the_margin_is_left()
    {
        var state = new OAuthTokenState { RefreshToken = "r", AccessToken = "a", AccessTokenExpiresAt = Now.AddMinutes(6) };
        Assert.True(state.IsFresh(Now, TimeSpan.FromMinutes(5)));
        Assert.False(state.IsFresh(Now.AddMinutes(1), TimeSpan.FromMinutes(5)));
        Assert.False((state with { AccessToken = null }).IsFresh(Now, TimeSpan.Zero));
    }

    [Fact]
    public void The_view_shows_token_health_and_no_token()
    {
        var state = new OAuthTokenState { RefreshToken = "secret-refresh", AccessToken = "secret-access", AccessTokenExpiresAt = Now.AddMinutes(30), RefreshTokenIssuedAt = Now.AddDays(-45), RefreshedAt = Now.AddMinutes(-30), RefreshFailures = 1 };
        var view = TokenHealthView.From(state, Now);

        Assert.Equal(new TokenHealthView(Now.AddMinutes(30), Now.AddMinutes(-30), 1, Now.AddDays(-45), 45, false), view);
        Assert.DoesNotContain("secret", System.Text.Json.JsonSerializer.Serialize(view), StringComparison.Ordinal);
    }

    private static Connection Connection(Dictionary<string, string> credentials) => new()
    {
        Id = "c1",
        OrganizationId = "o1",
        Marketplace = MarketplaceNames.Etsy,
        ExternalStoreId = "1",
        Name = "n",
        SyncTokenHash = "t",
        Credentials = credentials,
    };
}

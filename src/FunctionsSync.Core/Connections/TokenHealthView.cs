using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Connections;

/// <summary>
/// A connection's OAuth tokens as an operator needs to see them: when the access token in use expires, when it was
/// last refreshed, refreshes failed in a row, and how old the refresh token is against the 90-day life Etsy and
/// Shopify give it (Amazon's LWA refresh tokens do not expire unless revoked).
/// </summary>
public sealed record TokenHealthView(
    DateTimeOffset? AccessTokenExpiresAt,
    DateTimeOffset? LastRefreshAt,
    int RefreshFailures,
    DateTimeOffset? RefreshTokenIssuedAt,
    double? RefreshTokenAgeDays,
    bool Refreshing)
{
    public static TokenHealthView From(OAuthTokenState tokens, DateTimeOffset now) => new(
        tokens.AccessTokenExpiresAt,
        tokens.RefreshedAt,
        tokens.RefreshFailures,
        tokens.RefreshTokenIssuedAt,
        tokens.RefreshTokenIssuedAt is { } issued ? Math.Round((now - issued).TotalDays, 1) : null,
        tokens.Claim?.IsHeld(now) == true);
}

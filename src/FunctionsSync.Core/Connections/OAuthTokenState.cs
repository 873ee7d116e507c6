using System.Globalization;

namespace FunctionsSync.Core.Connections;

/// <summary>
/// A connection's OAuth tokens where the marketplace expires access tokens (Amazon LWA, Etsy, Shopify's expiring
/// offline tokens): the refresh token that is the seller's authorization, the access token in use and its expiry, and
/// the claim of the one refresher at work. Kept among the connection's credentials, so every change is an ETag-conditional write of the connection.
/// </summary>
public sealed record OAuthTokenState
{
    public const string RefreshTokenKey = "refreshToken";
    public const string AccessTokenKey = "accessToken";
    private const string ExpiresKey = "accessTokenExpiresAt";
    private const string IssuedKey = "refreshTokenIssuedAt";
    private const string RefreshedKey = "refreshedAt";
    private const string ClaimKey = "refreshClaim";
    private const string FailuresKey = "refreshFailures";

    /// <summary>Keys the service writes itself: a credentials change from an operator may not set them.</summary>
    public static IReadOnlySet<string> ManagedKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ExpiresKey, IssuedKey, RefreshedKey, ClaimKey, FailuresKey,
    };

    public required string RefreshToken { get; init; }
    public string? AccessToken { get; init; }
    public DateTimeOffset? AccessTokenExpiresAt { get; init; }

    /// <summary>When the current refresh token was issued (or first seen): its life is counted from here.</summary>
    public DateTimeOffset? RefreshTokenIssuedAt { get; init; }
    public DateTimeOffset? RefreshedAt { get; init; }

    /// <summary>The refresher at work: its owner id and when its claim lapses.</summary>
    public RefreshClaim? Claim { get; init; }

    /// <summary>Refreshes that failed in a row (not counting revocation, which needs a person).</summary>
    public int RefreshFailures { get; init; }

    /// <summary>The connection's tokens, or null when it has no refresh token (a token that does not expire, a consumer key).</summary>
    public static OAuthTokenState? From(Connection connection)
    {
        var c = connection.Credentials;
        if (c.GetValueOrDefault(RefreshTokenKey) is not { Length: > 0 } refresh)
        {
            return null;
        }

        return new OAuthTokenState
        {
            RefreshToken = refresh,
            AccessToken = c.GetValueOrDefault(AccessTokenKey) is { Length: > 0 } access ? access : null,
            AccessTokenExpiresAt = Time(c, ExpiresKey),
            RefreshTokenIssuedAt = Time(c, IssuedKey),
            RefreshedAt = Time(c, RefreshedKey),
            Claim = RefreshClaim.Parse(c.GetValueOrDefault(ClaimKey)),
            RefreshFailures = int.TryParse(c.GetValueOrDefault(FailuresKey), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0,
        };
    }

    /// <summary>Whether the access token is good for at least <paramref name="margin"/> more.</summary>
    public bool IsFresh(DateTimeOffset now, TimeSpan margin) => AccessToken is not null && AccessTokenExpiresAt is { } expires && expires - margin > now;

    /// <summary>The connection with these tokens in its credentials (other credentials kept).</summary>
    public Connection ApplyTo(Connection connection)
    {
        var c = new Dictionary<string, string>(connection.Credentials, StringComparer.Ordinal);
        foreach (var key in ManagedKeys)
        {
            c.Remove(key);
        }

        c[RefreshTokenKey] = RefreshToken;
        Set(c, AccessTokenKey, AccessToken);
        Set(c, ExpiresKey, Text(AccessTokenExpiresAt));
        Set(c, IssuedKey, Text(RefreshTokenIssuedAt));
        Set(c, RefreshedKey, Text(RefreshedAt));
        Set(c, ClaimKey, Claim?.ToString());
        Set(c, FailuresKey, RefreshFailures == 0 ? null : RefreshFailures.ToString(CultureInfo.InvariantCulture));
        return connection with { Credentials = c };
    }

    private static void Set(Dictionary<string, string> credentials, string key, string? value)
    {
        if (value is null)
        {
            credentials.Remove(key);
        }
        else
        {
            credentials[key] = value;
        }
    }

    private static string? Text(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(IReadOnlyDictionary<string, string> credentials, string key) =>
        long.TryParse(credentials.GetValueOrDefault(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}

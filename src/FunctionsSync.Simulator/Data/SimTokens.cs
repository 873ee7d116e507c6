using System.Security.Cryptography;

namespace FunctionsSync.Simulator.Data;

/// <summary>
/// A store's OAuth tokens, where its config names a <c>refreshToken</c>: access tokens issued by the refresh grant,
/// each good for <see cref="SimStoreConfig.AccessTokenLifetimeSeconds"/> on the simulator's clock; refresh tokens that
/// rotate as each marketplace documents: Etsy spends the old one at once, Shopify keeps it valid until its successor
/// is used (changelog 2026-08-28, contracts/shopify/docs/offline-access-token-refresh.md), Amazon LWA keeps one refresh
/// token. Revocation ends them all. Every refresh is counted, per refresh token too, so a test can see that none was
/// spent twice.
/// </summary>
public sealed class SimTokens(string marketplace, SimStoreConfig config, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> spent = new(StringComparer.Ordinal);
    private readonly List<string> issued = [];
    private readonly HashSet<string> refresh = config.Credentials.GetValueOrDefault("refreshToken") is { } first ? [first] : [];
    private string? current = config.Credentials.GetValueOrDefault("refreshToken");
    private string? previous;

    /// <summary>Whether the store's access tokens come from the refresh grant (else the config's one token, which never expires).</summary>
    public bool Expiring => config.Credentials.ContainsKey("refreshToken");

    public int Refreshes { get; private set; }

    /// <summary>How many refreshes each refresh token was spent by.</summary>
    public IReadOnlyDictionary<string, int> SpentBy
    {
        get { lock (gate) { return new Dictionary<string, int>(spent); } }
    }

    /// <summary>Every access and refresh token the refresh grant has made, in order: what a test must never find at rest.</summary>
    public IReadOnlyList<string> Issued
    {
        get { lock (gate) { return [.. issued]; } }
    }

    public bool Knows(string refreshToken)
    {
        lock (gate)
        {
            return refresh.Contains(refreshToken) || spent.ContainsKey(refreshToken);
        }
    }

    /// <summary>Whether <paramref name="token"/> is a valid access token of the store now.</summary>
    public bool Accepts(string? token)
    {
        if (!Expiring)
        {
            return token is not null && config.Credentials.GetValueOrDefault("accessToken") == token;
        }

        lock (gate)
        {
            return token is not null && access.TryGetValue(token, out var expires) && expires > time.GetUtcNow();
        }
    }

    /// <summary>The refresh grant: new tokens, or null (<c>invalid_grant</c>) for a refresh token spent, revoked or unknown.</summary>
    public (string Access, int ExpiresIn, string Refresh)? Refresh(string refreshToken)
    {
        lock (gate)
        {
            if (!refresh.Contains(refreshToken))
            {
                return null;
            }

            Refreshes++;
            spent[refreshToken] = spent.GetValueOrDefault(refreshToken) + 1;
            var lifetime = config.AccessTokenLifetimeSeconds ?? 3600;
            var token = $"{Prefix("access")}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
            access[token] = time.GetUtcNow().AddSeconds(lifetime);
            issued.Add(token);
            if (marketplace == "amazon")
            {
                return (token, (int)Math.Ceiling(lifetime), refreshToken);
            }

            var rotated = $"{Prefix("refresh")}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
            refresh.Add(rotated);
            issued.Add(rotated);
            if (marketplace == "etsy")
            {
                // Etsy: the refresh token is spent at once.
                refresh.Remove(refreshToken);
            }
            else if (refreshToken == current)
            {
                // Shopify: using the newest refresh token retires the one before it; the one just used stays good
                // until its successor is used (a client that lost this answer may ask again with it).
                if (previous is not null)
                {
                    refresh.Remove(previous);
                }

                previous = refreshToken;
            }
            else if (current is not null)
            {
                // The previous one asked again: the successor it never received is replaced.
                refresh.Remove(current);
            }

            current = rotated;
            return (token, (int)Math.Ceiling(lifetime), rotated);
        }
    }

    /// <summary>The seller authorized the app again: <paramref name="refreshToken"/> is the store's refresh token now.</summary>
    public void Reissue(string refreshToken)
    {
        lock (gate)
        {
            refresh.Add(refreshToken);
            previous = null;
            current = refreshToken;
        }
    }

    /// <summary>The seller removed the app: every refresh and access token stops working.</summary>
    public void Revoke()
    {
        lock (gate)
        {
            refresh.Clear();
            access.Clear();
            previous = current = null;
        }
    }

    private string Prefix(string kind) => (marketplace, kind) switch
    {
        ("amazon", "access") => "Atza|",
        ("amazon", _) => "Atzr|",
        ("shopify", "access") => "shpat_",
        ("shopify", _) => "shprt_",
        _ => "12345678.",
    };
}

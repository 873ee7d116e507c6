using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Marketplaces.OAuth;

/// <summary>
/// The app's own OAuth clients (<c>Marketplaces:OAuth</c>), one per marketplace whose access tokens expire: never a
/// connection's. In Azure the secrets are Key Vault references in app settings, as the admin key is.
/// </summary>
public sealed class OAuthOptions
{
    public const string SectionName = "Marketplaces:OAuth";

    /// <summary>By marketplace (<c>amazon</c>, <c>etsy</c>, <c>shopify</c>): the app's client id, secret, and token endpoint.</summary>
    public Dictionary<string, OAuthClientOptions> Clients { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An access token is refreshed once it has less than this left (every published lifetime is an hour).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one refresher holds a connection's tokens before another may take over (longer than a token call).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a caller waiting on another refresher looks again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan ClaimPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>One app's OAuth client at one marketplace.</summary>
public sealed class OAuthClientOptions
{
    /// <summary>Amazon: the LWA client id; Etsy: the app's API keystring; Shopify: the app's API key.</summary>
    public string? ClientId { get; set; }

    /// <summary>Amazon: the LWA client secret; Shopify: the app's client secret; Etsy's refresh grant sends none.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The token endpoint; default the marketplace's own (Shopify: the shop's <c>/admin/oauth/access_token</c>).</summary>
    public Uri? TokenUrl { get; set; }
}

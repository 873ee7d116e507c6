using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Shopify;

namespace FunctionsSync.Marketplaces.OAuth;

/// <summary>
/// A marketplace's refresh grant, as each publishes it: a form POST answered with <c>access_token</c>,
/// <c>expires_in</c> and (where refresh tokens rotate) a new <c>refresh_token</c>; a refused grant answers
/// <c>invalid_grant</c> (RFC 6749 §5.2).
/// <list type="bullet">
/// <item>Amazon LWA: <c>POST https://api.amazon.com/auth/o2/token</c>, <c>grant_type=refresh_token</c>,
/// <c>refresh_token</c>, <c>client_id</c>, <c>client_secret</c> (contracts/amazon/lwa-token-refresh.excerpts.md).</item>
/// <item>Etsy: <c>POST https://api.etsy.com/v3/public/oauth/token</c>, <c>grant_type=refresh_token</c>,
/// <c>client_id</c> (the keystring), <c>refresh_token</c>; each answer carries a new refresh token
/// (contracts/etsy/oauth2-authentication.md).</item>
/// <item>Shopify: <c>POST https://{shop}.myshopify.com/admin/oauth/access_token</c>, <c>client_id</c>,
/// <c>client_secret</c>, <c>grant_type=refresh_token</c>, <c>refresh_token</c>; answers add
/// <c>refresh_token_expires_in</c> (contracts/shopify/docs/offline-access-token-refresh.md).</item>
/// </list>
/// </summary>
public sealed class TokenEndpoint(MarketplaceHttp http)
{
    public async Task<TokenAnswer> RefreshAsync(Connection connection, OAuthClientOptions client, string refreshToken, CancellationToken cancellationToken)
    {
        var clientId = client.ClientId ?? throw Missing(connection, "ClientId");
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId };
        Uri url;
        switch (connection.Marketplace)
        {
            case MarketplaceNames.Amazon:
                form["client_secret"] = client.ClientSecret ?? throw Missing(connection, "ClientSecret");
                url = client.TokenUrl ?? new Uri("https://api.amazon.com/auth/o2/token");
                break;
            case MarketplaceNames.Etsy:
                url = client.TokenUrl ?? new Uri("https://api.etsy.com/v3/public/oauth/token");
                break;
            case MarketplaceNames.Shopify:
                form["client_secret"] = client.ClientSecret ?? throw Missing(connection, "ClientSecret");
                url = client.TokenUrl ?? new Uri($"{ShopifyRestApi.BaseUrl(connection)}/admin/oauth/access_token");
                break;
            default:
                throw new MarketplaceException(MarketplaceErrorKind.BadRequest, $"{connection.Marketplace}: its access tokens do not expire");
        }

        var what = $"{connection.Marketplace} access token refresh";
        var (status, body) = await http.PostFormAsync(connection, url, form, what, cancellationToken);
        var json = Parse(body);
        if (status is >= 200 and < 300)
        {
            var access = json?.OptStr("access_token") ?? throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the answer has no access_token");
            var expiresIn = json.Value.Opt("expires_in") is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out var seconds) ? seconds : 3600;
            var refreshExpiresIn = json.Value.Opt("refresh_token_expires_in") is { ValueKind: JsonValueKind.Number } r && r.TryGetInt64(out var rs) ? rs : (long?)null;
            return new TokenAnswer(access, TimeSpan.FromSeconds(expiresIn), json.Value.OptStr("refresh_token") is { Length: > 0 } rotated ? rotated : null, refreshExpiresIn is { } x ? TimeSpan.FromSeconds(x) : null);
        }

        var error = json?.OptStr("error");
        var description = json?.OptStr("error_description") ?? json?.OptStr("error_message");
        var reason = error is null ? $"{status}" : $"{status} {error}{(description is null ? "" : ": " + description)}";
        throw error == "invalid_grant"
            ? new MarketplaceException(MarketplaceErrorKind.ReauthorizationRequired, $"{what}: the seller's authorization is no longer valid ({reason}); connect the store again", status)
            : new MarketplaceException(status is 400 or 401 or 403 ? MarketplaceErrorKind.Auth : MarketplaceErrorKind.BadRequest, $"{what}: refused ({reason})", status);
    }

    private static JsonElement? Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static MarketplaceException Missing(Connection connection, string what) =>
        new(MarketplaceErrorKind.Auth, $"{connection.Marketplace}: Marketplaces:OAuth:Clients:{connection.Marketplace}:{what} is not configured, so its access tokens cannot be refreshed");
}

/// <summary>What a refresh grant answered: the new access token and its life, and the rotated refresh token where one came.</summary>
public sealed record TokenAnswer(string AccessToken, TimeSpan ExpiresIn, string? RefreshToken, TimeSpan? RefreshTokenExpiresIn);

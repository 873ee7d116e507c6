using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// The marketplaces' token endpoints, refresh grant only, with the published request and response shapes: Amazon LWA
/// (<c>POST /lwa/auth/o2/token</c>, standing for https://api.amazon.com/auth/o2/token; contracts/amazon/lwa-token-refresh.excerpts.md),
/// Etsy (<c>POST /etsy/v3/public/oauth/token</c>; contracts/etsy/oauth2-authentication.md) and Shopify
/// (<c>POST /shopify/{store}/admin/oauth/access_token</c>; contracts/shopify/docs/offline-access-token-refresh.md). A
/// form body of <c>grant_type=refresh_token</c>, <c>refresh_token</c>, <c>client_id</c> (and <c>client_secret</c>
/// for Amazon and Shopify) answers <c>{access_token, token_type, expires_in, refresh_token}</c> (Shopify adds
/// <c>refresh_token_expires_in</c> and <c>scope</c>); a spent, revoked or unknown refresh token answers 400
/// <c>invalid_grant</c>, a wrong client 401 <c>invalid_client</c>.
/// </summary>
internal static class OAuthEndpoints
{
    private const int RefreshTokenLifetime = 7_776_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/lwa/auth/o2/token", (HttpContext http, SimulatorState state) => GrantAsync(http, state, "amazon", null, secretRequired: true));
        app.MapPost("/etsy/v3/public/oauth/token", (HttpContext http, SimulatorState state) => GrantAsync(http, state, "etsy", null, secretRequired: false));
        app.MapPost("/shopify/{storeId}/admin/oauth/access_token", (HttpContext http, SimulatorState state, string storeId) => GrantAsync(http, state, "shopify", storeId, secretRequired: true));
    }

    private static async Task<IResult> GrantAsync(HttpContext http, SimulatorState state, string marketplace, string? storeId, bool secretRequired)
    {
        if (!http.Request.HasFormContentType)
        {
            return Error(400, "invalid_request", "The request body must be application/x-www-form-urlencoded.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["grant_type"] != "refresh_token")
        {
            return Error(400, "unsupported_grant_type", "Only the refresh_token grant is served.");
        }

        var refreshToken = form["refresh_token"].ToString();
        var store = storeId is not null
            ? state.GetStore(marketplace, storeId)
            : state.Stores.FirstOrDefault(s => s.Marketplace == marketplace && s.Tokens.Knows(refreshToken));
        if (store is null || !store.Tokens.Expiring)
        {
            return Error(400, "invalid_grant", "The refresh token is invalid, expired or revoked.");
        }

        var credentials = store.Config.Credentials;
        if ((credentials.GetValueOrDefault("clientId") is { } id && form["client_id"] != id)
            || (secretRequired && credentials.GetValueOrDefault("clientSecret") is { } secret && form["client_secret"] != secret))
        {
            return Error(401, "invalid_client", "Client authentication failed.");
        }

        state.Record(new SimRequest(state.Time.GetUtcNow(), marketplace, store.StoreId, http.Request.Path, 200, null, "POST"));
        if (store.Tokens.Refresh(refreshToken) is not var (access, expiresIn, rotated))
        {
            return Error(400, "invalid_grant", "The refresh token is invalid, expired or revoked.");
        }

        state.AfterTokenIssued?.Invoke(store.StoreId);
        return marketplace == "shopify"
            ? Results.Json(new { access_token = access, expires_in = expiresIn, refresh_token = rotated, refresh_token_expires_in = RefreshTokenLifetime, scope = "read_orders,read_products,read_customers" })
            : Results.Json(new { access_token = access, token_type = marketplace == "etsy" ? "Bearer" : "bearer", expires_in = expiresIn, refresh_token = rotated });
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);
}

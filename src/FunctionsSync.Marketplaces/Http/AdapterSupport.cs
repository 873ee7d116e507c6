using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;

namespace FunctionsSync.Marketplaces.Http;

internal static class AdapterSupport
{
    /// <summary>The connection's <c>settings.baseUrl</c> (the simulator, a proxy) or the marketplace's real endpoint.</summary>
    public static string BaseUrl(Connection connection, string? fallback)
    {
        var url = CommonSettings.BaseUrl.Of(connection) ?? fallback
            ?? throw new MarketplaceException(MarketplaceErrorKind.BadRequest, $"{connection.Marketplace}: settings.baseUrl is required for this marketplace");
        return url.TrimEnd('/');
    }

    public static string Credential(Connection connection, string key) =>
        connection.Credential(key) ?? throw new MarketplaceException(MarketplaceErrorKind.Auth, $"{connection.Marketplace}: credential '{key}' is missing");

    public static string Iso(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static MarketplaceException BadToken(string marketplace, string token) =>
        new(MarketplaceErrorKind.BadRequest, $"{marketplace}: page token '{token}' is not one this adapter issued");
}

namespace FunctionsSync.Core.Connections.Settings;

/// <summary>
/// What a marketplace's adapter needs of a connection (<see cref="Adapters.IMarketplaceAdapter.Requirements"/>),
/// checked at registration and on PATCH so a connection that cannot sync is refused with the reason instead of failing
/// its first run: the credential keys it sends, non-empty, and every setting it reads, by that setting's own rule.
/// Keys no adapter reads are kept as given.
/// </summary>
public sealed record ConnectionRequirements
{
    public required IReadOnlyList<string> Credentials { get; init; }

    /// <summary>Whether access tokens expire and are refreshed with a refresh token, which may then stand for the access token.</summary>
    public bool RefreshesTokens { get; init; }

    /// <summary>Records per request (<see cref="CommonSettings.PageSize"/>), bounded by the marketplace's API.</summary>
    public required WholeNumberSetting PageSize { get; init; }

    /// <summary>The adapter's other settings, besides <see cref="PageSize"/>, <c>baseUrl</c> and the rate-limit overrides every adapter reads.</summary>
    public IReadOnlyList<ConnectionSetting> Settings { get; init; } = [];

    public IEnumerable<ConnectionSetting> AllSettings =>
        [PageSize, CommonSettings.BaseUrl, CommonSettings.RateLimitPerSecond, CommonSettings.RateLimitCapacity, CommonSettings.FreshnessObjectiveMinutes, CommonSettings.FullSyncCron, .. Settings];

    public IEnumerable<(string Field, string[] Message)> Validate(
        string marketplace, IReadOnlyDictionary<string, string>? credentials, IReadOnlyDictionary<string, string>? settings)
    {
        if (credentials is not null)
        {
            var refreshes = RefreshesTokens && !string.IsNullOrWhiteSpace(credentials.GetValueOrDefault(OAuthTokenState.RefreshTokenKey));
            foreach (var key in Credentials.Where(k => string.IsNullOrWhiteSpace(credentials.GetValueOrDefault(k)) && !(refreshes && k == OAuthTokenState.AccessTokenKey)))
            {
                yield return ($"credentials.{key}", [$"Required for {marketplace}: {string.Join(", ", Credentials)}."]);
            }
        }

        if (settings is null)
        {
            yield break;
        }

        foreach (var setting in AllSettings)
        {
            foreach (var key in setting.Keys)
            {
                // A blank value is no value: the setting reads its default.
                if (settings.GetValueOrDefault(key) is { } raw && !string.IsNullOrWhiteSpace(raw) && !setting.Accepts(raw))
                {
                    yield return ($"settings.{key}", [setting.Rule]);
                }
            }
        }
    }
}

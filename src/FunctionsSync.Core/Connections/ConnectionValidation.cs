using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Outbound;

namespace FunctionsSync.Core.Connections;

/// <summary>Checks a registration before anything is written; returns field → message for problem details.</summary>
public static class ConnectionValidation
{
    public static IReadOnlyDictionary<string, string[]> Validate(ConnectionRegistration registration, IMarketplaceAdapterRegistry adapters, OutboundUrlPolicy addresses)
    {
        var errors = new Dictionary<string, string[]>();
        if (IdRules.OrganizationIdError(registration.OrganizationId) is { } organizationError)
        {
            errors["organizationId"] = [organizationError];
        }

        adapters.TryGet(registration.Marketplace, out var adapter);
        if (adapter is null)
        {
            errors["marketplace"] = [$"Must be one of: {string.Join(", ", adapters.Marketplaces)}."];
        }

        if (IdRules.Error(registration.ExternalStoreId, IdRules.StoreIdMax) is { } storeError)
        {
            errors["externalStoreId"] = [storeError];
        }

        if (string.IsNullOrWhiteSpace(registration.Name) || registration.Name.Length > 256)
        {
            errors["name"] = ["Required, at most 256 characters."];
        }

        foreach (var (field, message) in ValidateSettings(registration.Marketplace, adapter?.Requirements, registration.Credentials, registration.Settings, addresses))
        {
            errors[field] = message;
        }

        return errors;
    }

    public const int MaxEntries = 50;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 4_096;

    /// <summary>
    /// Credentials and settings, at registration and on PATCH (each when given): bounded so a connection row stays far
    /// inside Table Storage's 64 KiB property and 1 MiB entity limits (50 entries of at most 128 + 4,096 characters),
    /// keys without control characters, what the marketplace's adapter needs (its <see cref="ConnectionRequirements"/>;
    /// none where the marketplace is unknown, which is refused on its own), and <c>settings.baseUrl</c> an address the
    /// outbound policy allows (its credentials are sent there).
    /// </summary>
    public static IEnumerable<(string Field, string[] Message)> ValidateSettings(
        string marketplace, ConnectionRequirements? requirements, IReadOnlyDictionary<string, string>? credentials, IReadOnlyDictionary<string, string>? settings, OutboundUrlPolicy addresses)
    {
        foreach (var (name, map) in new[] { ("credentials", credentials), ("settings", settings) })
        {
            if (map is null)
            {
                continue;
            }

            if (map.Count > MaxEntries)
            {
                yield return (name, [$"At most {MaxEntries} entries."]);
            }

            foreach (var (key, value) in map)
            {
                if (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
                {
                    yield return ($"{name}.{Problems.Printable(key)}", [$"Keys have 1 to {MaxKeyLength} characters, no control characters."]);
                }
                else if (value is null || value.Length > MaxValueLength)
                {
                    yield return ($"{name}.{key}", [$"A string of at most {MaxValueLength} characters."]);
                }
            }
        }

        foreach (var problem in requirements?.Validate(marketplace, credentials, settings) ?? [])
        {
            yield return problem;
        }

        if (CommonSettings.BaseUrl.RawIn(settings) is { } baseUrl && addresses.Check(baseUrl) is { } refused)
        {
            yield return ($"settings.{CommonSettings.BaseUrl.Name}", [refused]);
        }
    }
}

using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Connections;

/// <summary>Checks a registration before anything is written; returns field → message for problem details.</summary>
public static class ConnectionValidation
{
    public static IReadOnlyDictionary<string, string[]> Validate(ConnectionRegistration registration)
    {
        var errors = new Dictionary<string, string[]>();
        if (IdRules.OrganizationIdError(registration.OrganizationId) is { } organizationError)
        {
            errors["organizationId"] = [organizationError];
        }

        if (!MarketplaceNames.IsKnown(registration.Marketplace))
        {
            errors["marketplace"] = [$"Must be one of: {string.Join(", ", MarketplaceNames.All)}."];
        }

        if (IdRules.Error(registration.ExternalStoreId, IdRules.StoreIdMax) is { } storeError)
        {
            errors["externalStoreId"] = [storeError];
        }

        if (string.IsNullOrWhiteSpace(registration.Name) || registration.Name.Length > 256)
        {
            errors["name"] = ["Required, at most 256 characters."];
        }

        if (registration.Settings?.TryGetValue("baseUrl", out var baseUrl) == true
            && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            errors["settings.baseUrl"] = ["Must be an absolute http(s) URL."];
        }

        return errors;
    }
}

namespace FunctionsSync.Core.Connections;

/// <summary>Checks a registration before anything is written; returns field → message for problem details.</summary>
public static class ConnectionValidation
{
    public static IReadOnlyDictionary<string, string[]> Validate(ConnectionRegistration registration)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(registration.OrganizationId) || registration.OrganizationId.Length > 128)
        {
            errors["organizationId"] = ["Required, at most 128 characters."];
        }

        if (!MarketplaceNames.IsKnown(registration.Marketplace))
        {
            errors["marketplace"] = [$"Must be one of: {string.Join(", ", MarketplaceNames.All)}."];
        }

        if (string.IsNullOrWhiteSpace(registration.ExternalStoreId) || registration.ExternalStoreId.Length > 256)
        {
            errors["externalStoreId"] = ["Required, at most 256 characters."];
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

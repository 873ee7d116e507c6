using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Access;

/// <summary>Turns an <c>X-Api-Key</c> header into a caller.</summary>
public sealed class ApiKeyAuthenticator(IOptions<ApiOptions> options, IApiKeyStore keys)
{
    public const string HeaderName = "X-Api-Key";

    public async Task<ApiCaller?> AuthenticateAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 256)
        {
            return null;
        }

        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(options.Value.AdminKey)))
        {
            return ApiCaller.Admin;
        }

        return await keys.FindOrganizationAsync(key, cancellationToken) is { } organizationId ? ApiCaller.Organization(organizationId) : null;
    }
}

namespace FunctionsSync.Core.Access;

/// <summary>Organization API keys, stored hashed.</summary>
public interface IApiKeyStore
{
    /// <summary>Issues a new key for the organization; the key is only ever returned here.</summary>
    Task<IssuedKey> IssueAsync(string organizationId, CancellationToken cancellationToken);

    /// <summary>The organization a key belongs to, or null (unknown or revoked). Records when it was last used.</summary>
    Task<string?> FindOrganizationAsync(string key, CancellationToken cancellationToken);

    /// <summary>One organization's keys, or (null) every organization's; never the secrets.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string? organizationId, CancellationToken cancellationToken);

    /// <summary>Revokes a key by its id: the next request with it is refused on every replica. False when unknown.</summary>
    Task<bool> RevokeAsync(string keyId, CancellationToken cancellationToken);
}

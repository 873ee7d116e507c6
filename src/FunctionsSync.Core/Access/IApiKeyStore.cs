namespace FunctionsSync.Core.Access;

/// <summary>Organization API keys, stored hashed.</summary>
public interface IApiKeyStore
{
    /// <summary>Issues a new key for the organization; the key is only ever returned here.</summary>
    Task<string> IssueAsync(string organizationId, CancellationToken cancellationToken);

    /// <summary>The organization a key belongs to, or null.</summary>
    Task<string?> FindOrganizationAsync(string key, CancellationToken cancellationToken);
}

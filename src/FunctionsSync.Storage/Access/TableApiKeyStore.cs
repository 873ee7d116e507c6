using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using FunctionsSync.Core.Access;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Access;

/// <summary>
/// Organization keys in table <c>apikeys</c> (partition <c>key</c>, row = SHA-256 of the key, <c>OrganizationId</c>,
/// <c>IssuedAt</c>): the key itself is never stored.
/// </summary>
internal sealed class TableApiKeyStore(TableProvider tables, TimeProvider time) : IApiKeyStore
{
    private const string Partition = "key";

    public async Task<string> IssueAsync(string organizationId, CancellationToken cancellationToken)
    {
        var key = "fsk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var table = await tables.GetAsync(TableNames.ApiKeys, cancellationToken);
        await table.AddEntityAsync(new TableEntity(Partition, Hash(key)) { ["OrganizationId"] = organizationId, ["IssuedAt"] = time.GetUtcNow() }, cancellationToken);
        return key;
    }

    public async Task<string?> FindOrganizationAsync(string key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.ApiKeys, cancellationToken);
        return (await table.GetAsync(Partition, Hash(key), cancellationToken))?.GetString("OrganizationId");
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

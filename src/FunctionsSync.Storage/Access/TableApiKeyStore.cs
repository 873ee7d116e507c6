using System.Security.Cryptography;
using System.Text;
using FunctionsSync.Core.Access;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Access;

/// <summary>Organization keys in table <c>apikeys</c>, keyed by the SHA-256 of the key: the key itself is never stored.</summary>
public sealed class TableApiKeyStore(TableProvider tables, TimeProvider time) : IApiKeyStore
{
    private const string Partition = "key";

    public async Task<string> IssueAsync(string organizationId, CancellationToken cancellationToken)
    {
        var key = "fsk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var table = await tables.GetAsync(TableNames.ApiKeys, cancellationToken);
        await table.ExecuteAsync(TableOperation.Insert(new DynamicTableEntity(Partition, Hash(key))
        {
            Properties =
            {
                ["OrganizationId"] = new EntityProperty(organizationId),
                ["IssuedAt"] = new EntityProperty(time.GetUtcNow()),
            },
        }), null, null, cancellationToken);
        return key;
    }

    public async Task<string?> FindOrganizationAsync(string key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.ApiKeys, cancellationToken);
        var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(Partition, Hash(key)), null, null, cancellationToken);
        return (result.Result as DynamicTableEntity)?.Properties["OrganizationId"].StringValue;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

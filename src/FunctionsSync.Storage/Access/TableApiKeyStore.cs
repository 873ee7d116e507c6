using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using FunctionsSync.Core.Access;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Access;

/// <summary>
/// Organization keys in table <c>apikeys</c>; the key itself is never stored. Three rows per key:
/// <list type="bullet">
/// <item>partition <c>key</c>, row = SHA-256 of the key: <c>OrganizationId</c>, <c>KeyId</c>, <c>IssuedAt</c> — the
/// lookup of every authenticated request (one point read; no cache, so a revocation holds on every replica at once);</item>
/// <item>partition <c>org|{organization}</c>, row = key id: <c>Hash</c>, <c>IssuedAt</c>, <c>LastUsedAt</c> — the listing
/// (one partition, or the <c>org|</c> range for the admin's list of all);</item>
/// <item>partition <c>id</c>, row = key id: <c>OrganizationId</c> — revocation by id.</item>
/// </list>
/// Keys issued before the id rows existed get them on their next use.
/// </summary>
internal sealed class TableApiKeyStore(TableProvider tables, TimeProvider time) : IApiKeyStore
{
    private static readonly TimeSpan UsageResolution = TimeSpan.FromMinutes(1);

    public async Task<IssuedKey> IssueAsync(string organizationId, CancellationToken cancellationToken)
    {
        var key = "fsk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var table = await tables.GetAsync(TableNames.ApiKeys, cancellationToken);
        var now = time.GetUtcNow();
        // Index rows first: a key row never exists without the rows that list and revoke it.
        await IndexAsync(table, id, organizationId, Hash(key), now, cancellationToken);
        await table.AddEntityAsync(ApiKeyRows.KeyRow(Hash(key), organizationId, id, now), cancellationToken);
        return new IssuedKey(id, key);
    }

    public async Task<string?> FindOrganizationAsync(string key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.ApiKeys, cancellationToken);
        var hash = Hash(key);
        if (await table.GetAsync(ApiKeyRows.KeyPartition, hash, cancellationToken) is not { } row || ApiKeyRows.OrganizationOf(row) is not { } organizationId)
        {
            return null;
        }

        await RecordUseAsync(table, row, organizationId, hash, cancellationToken);
        return organizationId;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string? organizationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.ApiKeys, cancellationToken);
        // One organization's partition, or every "org|" partition (one row per key; keys do not grow with history).
        var filter = organizationId is null ? ApiKeyRows.AllListings : TableQueries.Partition(ApiKeyRows.OrgPartition(organizationId));
        return await table.ReadAllAsync(filter, ApiKeyRows.InfoOf, cancellationToken);
    }

    public async Task<bool> RevokeAsync(string keyId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.ApiKeys, cancellationToken);
        if (await table.GetAsync(ApiKeyRows.IdPartition, keyId, cancellationToken) is not { } index || ApiKeyRows.OrganizationOf(index) is not { } organizationId)
        {
            return false;
        }

        var listed = await table.GetAsync(ApiKeyRows.OrgPartition(organizationId), keyId, cancellationToken);
        // The key row first: from here on the key is refused; the index rows follow.
        if (listed is not null && ApiKeyRows.HashOf(listed) is { } hash)
        {
            await TableQueries.DeleteIfExistsAsync(table, ApiKeyRows.KeyPartition, hash, cancellationToken);
        }

        await TableQueries.DeleteIfExistsAsync(table, ApiKeyRows.OrgPartition(organizationId), keyId, cancellationToken);
        await TableQueries.DeleteIfExistsAsync(table, ApiKeyRows.IdPartition, keyId, cancellationToken);
        return true;
    }

    private async Task RecordUseAsync(TableClient table, TableEntity row, string organizationId, string hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (ApiKeyRows.KeyIdOf(row) is not { } id)
        {
            // A key issued before keys had ids: give it one, so it can be listed and revoked. The id is claimed on the
            // key row first (conditionally: another replica may be doing the same), then indexed.
            id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            if (await table.TryReplaceAsync(ApiKeyRows.KeyRow(hash, organizationId, id, ApiKeyRows.IssuedAtOf(row) ?? now), row.ETag.ToString(), cancellationToken) is null)
            {
                return;
            }

            await IndexAsync(table, id, organizationId, hash, ApiKeyRows.IssuedAtOf(row) ?? now, cancellationToken);
        }

        // Last use, at most once a minute per key: an authenticated request costs a write only that often.
        if (ApiKeyRows.LastUsedAtOf(row) is { } last && now - last < UsageResolution)
        {
            return;
        }

        // Merges of rows that exist, never upserts: a use racing the key's revocation must not bring its rows back
        // (as a listed key with no hash, or a key row with no organization).
        await TryMergeAsync(table, ApiKeyRows.Used(ApiKeyRows.KeyPartition, hash, now), cancellationToken);
        await TryMergeAsync(table, ApiKeyRows.Used(ApiKeyRows.OrgPartition(organizationId), id, now), cancellationToken);
    }

    private static async Task TryMergeAsync(TableClient table, TableEntity change, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(change, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.IsNotFound())
        {
            // Revoked meanwhile.
        }
    }

    private static async Task IndexAsync(TableClient table, string id, string organizationId, string hash, DateTimeOffset issuedAt, CancellationToken cancellationToken)
    {
        await table.UpsertEntityAsync(ApiKeyRows.IdRow(id, organizationId), TableUpdateMode.Replace, cancellationToken);
        await table.UpsertEntityAsync(ApiKeyRows.ListingRow(organizationId, id, hash, issuedAt), TableUpdateMode.Replace, cancellationToken);
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

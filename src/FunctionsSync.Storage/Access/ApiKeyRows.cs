using Azure.Data.Tables;
using FunctionsSync.Core.Access;

namespace FunctionsSync.Storage.Access;

/// <summary>
/// The rows of table <c>apikeys</c> (see <see cref="TableApiKeyStore"/>): a key's row by hash (partition <c>key</c>),
/// its listing row (partition <c>org|{organization}</c>, row = key id) and its revocation row (partition <c>id</c>).
/// </summary>
internal static class ApiKeyRows
{
    public const string KeyPartition = "key";
    public const string IdPartition = "id";

    private const string OrgPrefix = "org|";

    public static string OrgPartition(string organizationId) => OrgPrefix + organizationId;

    /// <summary>Every organization's listing partition (the <c>org|</c> range).</summary>
    public static string AllListings { get; } = TableClient.CreateQueryFilter($"PartitionKey ge {OrgPrefix} and PartitionKey lt {"org}"}");

    public static TableEntity KeyRow(string hash, string organizationId, string keyId, DateTimeOffset issuedAt) =>
        new(KeyPartition, hash) { ["OrganizationId"] = organizationId, ["KeyId"] = keyId, ["IssuedAt"] = issuedAt };

    public static TableEntity IdRow(string keyId, string organizationId) => new(IdPartition, keyId) { ["OrganizationId"] = organizationId };

    public static TableEntity ListingRow(string organizationId, string keyId, string hash, DateTimeOffset issuedAt) =>
        new(OrgPartition(organizationId), keyId) { ["Hash"] = hash, ["IssuedAt"] = issuedAt };

    /// <summary>A merge that records a key's last use on one of its rows.</summary>
    public static TableEntity Used(string partition, string row, DateTimeOffset at) => new(partition, row) { ["LastUsedAt"] = at };

    public static string? OrganizationOf(TableEntity row) => row.GetString("OrganizationId");

    public static string? KeyIdOf(TableEntity row) => row.GetString("KeyId");

    public static string? HashOf(TableEntity listing) => listing.GetString("Hash");

    public static DateTimeOffset? IssuedAtOf(TableEntity row) => row.GetDateTimeOffset("IssuedAt");

    public static DateTimeOffset? LastUsedAtOf(TableEntity row) => row.GetDateTimeOffset("LastUsedAt");

    public static ApiKeyInfo InfoOf(TableEntity listing) =>
        new(listing.RowKey, listing.PartitionKey[OrgPrefix.Length..], IssuedAtOf(listing) ?? DateTimeOffset.MinValue, LastUsedAtOf(listing));
}

using Azure.Data.Tables;
using FunctionsSync.Core.Connections;
using FunctionsSync.Storage.Secrets;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Connections;

/// <summary>
/// Table <c>connections</c>. Row <c>connection|{connection id}</c> of partition = connection id: the connection as
/// JSON, plus its organization and marketplace. The row key repeats the id because Azurite finds a row by its row key
/// first and then looks through every row holding that key: under the one key <c>connection</c> that earlier releases
/// gave every connection (<see cref="LegacyConnectionRow"/>, still read, and moved by the re-wrap pass), each point
/// read cost more as connections grew (8.7 ms p95 at 10,000 against 1.4 ms at 100, <c>api_10k_latency_ratio</c>'s
/// storage reference). On Azure both are a point read. Index rows point at it, each a point or key-range read away:
/// <c>org|{organizationId}</c> / row = connection id (an organization's connections), and
/// <c>token|{sha256(syncToken)}</c> / row <c>token</c> (the connection a receipt import names).
/// </summary>
internal static class ConnectionRows
{
    /// <summary>The row key every connection's row had before it carried the id (see the class comment).</summary>
    public const string LegacyConnectionRow = "connection";
    public const string TokenRow = "token";
    private const string OrganizationPrefix = "org|";
    private const string TokenPrefix = "token|";
    private const string StorePrefix = "store|";
    private const string ConnectionRowPrefix = "connection|";

    public static string ConnectionRow(string connectionId) => ConnectionRowPrefix + TableKeys.Encode(connectionId);

    /// <summary>
    /// The connection's JSON without its credentials (its sync token is only a hash there), and the credentials
    /// encrypted (<see cref="SecretCipher"/>, bound to the connection's id) in <c>Secrets</c>.
    /// </summary>
    /// <exception cref="Core.Storage.TooLargeToStoreException">The settings or the credentials do not fit in the row as stored (escaped JSON; encrypted).</exception>
    public static TableEntity ToEntity(Connection connection, SecretCipher cipher)
    {
        var entity = new TableEntity(TableKeys.Encode(connection.Id), ConnectionRow(connection.Id))
        {
            ["OrganizationId"] = connection.OrganizationId,
            ["Marketplace"] = connection.Marketplace,
        };
        // 8 + 6 properties of 64 KiB: 896 KiB, under the row's 1 MiB.
        LargeText.Write(entity, "Json", StorageJson.Serialize(connection with { Credentials = new Dictionary<string, string>() }), 8, "settings");
        SecretColumn.Write(entity, cipher, SecretContext(connection.Id), new ConnectionSecrets(connection.Credentials), 6, "credentials");
        return entity;
    }

    public static Connection FromEntity(TableEntity entity, SecretCipher cipher)
    {
        var json = LargeText.Read(entity, "Json")!;
        var connection = StorageJson.Deserialize<Connection>(json);
        if (connection.SyncTokenHash.Length == 0 && StorageJson.Deserialize<LegacySyncToken>(json).SyncToken is { Length: > 0 } token)
        {
            // A row written before tokens were stored as hashes: the re-wrap pass rewrites it without the token.
            connection = connection with { SyncTokenHash = ConnectionIds.HashSyncToken(token) };
        }

        // A row written before secrets were encrypted holds them in its JSON; the re-wrap pass rewrites it.
        return SecretColumn.Read<ConnectionSecrets>(entity, cipher, SecretContext(connection.Id)) is { } secrets ? connection with { Credentials = secrets.Credentials } : connection;
    }

    /// <summary>
    /// Whether the row's secrets are in plain text (or its sync token) or under a key that is no longer the current one,
    /// or the row is still under <see cref="LegacyConnectionRow"/>.
    /// </summary>
    public static bool NeedsRewrap(TableEntity entity, SecretCipher cipher) =>
        entity.RowKey == LegacyConnectionRow || SecretColumn.IsStale(entity, cipher) || LargeText.Read(entity, "Json")!.Contains("\"syncToken\"", StringComparison.Ordinal);

    private static string SecretContext(string connectionId) => "connection|" + connectionId;

    private sealed record ConnectionSecrets(IReadOnlyDictionary<string, string> Credentials);

    /// <summary>The plain sync token rows kept before only its hash was.</summary>
    private sealed record LegacySyncToken(string? SyncToken);

    public static string OrganizationPartition(string organizationId) => OrganizationPrefix + TableKeys.Encode(organizationId);

    public static TableEntity OrganizationEntry(Connection connection) =>
        new(OrganizationPartition(connection.OrganizationId), TableKeys.Encode(connection.Id));

    /// <summary>The connections to one marketplace store, of every organization: partition <c>store|{marketplace}|{store id}</c>.</summary>
    public static string StorePartition(string marketplace, string externalStoreId) =>
        $"{StorePrefix}{TableKeys.Encode(marketplace.Trim().ToLowerInvariant())}|{TableKeys.Encode(externalStoreId.Trim())}";

    public static TableEntity StoreEntry(Connection connection) =>
        new(StorePartition(connection.Marketplace, connection.ExternalStoreId), TableKeys.Encode(connection.Id));

    /// <summary>The token itself is never a key (nor stored): its hash is.</summary>
    public static string TokenPartition(string syncTokenHash) => TokenPrefix + syncTokenHash;

    public static TableEntity TokenEntry(Connection connection) =>
        new(TokenPartition(connection.SyncTokenHash), TokenRow) { ["ConnectionId"] = connection.Id };

    /// <summary>The organization index of every organization, in organization then connection id order.</summary>
    public static string AllOrganizationEntries =>
        TableClient.CreateQueryFilter($"PartitionKey ge {OrganizationPrefix} and PartitionKey lt {OrganizationPrefix[..^1] + (char)(OrganizationPrefix[^1] + 1)}");

    /// <summary>Every connection row of the table, under either row key: it grows with connections (four rows each), not with history.</summary>
    public static string AllConnections => TableClient.CreateQueryFilter(
        $"RowKey eq {LegacyConnectionRow} or (RowKey ge {ConnectionRowPrefix} and RowKey lt {ConnectionRowPrefix[..^1] + (char)(ConnectionRowPrefix[^1] + 1)})");
}

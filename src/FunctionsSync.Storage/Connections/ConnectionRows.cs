using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using FunctionsSync.Core.Connections;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Connections;

/// <summary>
/// Table <c>connections</c>. Row <c>connection</c> of partition = connection id: the connection as JSON, plus its
/// organization and marketplace. Two index rows point at it, each a point or key-range read away:
/// <c>org|{organizationId}</c> / row = connection id (an organization's connections), and
/// <c>token|{sha256(syncToken)}</c> / row <c>token</c> (the connection a receipt import names).
/// </summary>
internal static class ConnectionRows
{
    public const string ConnectionRow = "connection";
    public const string TokenRow = "token";
    private const string OrganizationPrefix = "org|";
    private const string TokenPrefix = "token|";

    public static TableEntity ToEntity(Connection connection) => new(TableKeys.Encode(connection.Id), ConnectionRow)
    {
        ["OrganizationId"] = connection.OrganizationId,
        ["Marketplace"] = connection.Marketplace,
        ["Json"] = StorageJson.Serialize(connection),
    };

    public static Connection FromEntity(TableEntity entity) => StorageJson.Deserialize<Connection>(entity.GetString("Json"));

    public static string OrganizationPartition(string organizationId) => OrganizationPrefix + TableKeys.Encode(organizationId);

    public static TableEntity OrganizationEntry(Connection connection) =>
        new(OrganizationPartition(connection.OrganizationId), TableKeys.Encode(connection.Id));

    /// <summary>The token itself is never a key: its hash is.</summary>
    public static string TokenPartition(string syncToken) => TokenPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(syncToken)));

    public static TableEntity TokenEntry(Connection connection) =>
        new(TokenPartition(connection.SyncToken), TokenRow) { ["ConnectionId"] = connection.Id };

    /// <summary>Every connection row of the table: it grows with connections (three rows each), not with history.</summary>
    public static string AllConnections => TableClient.CreateQueryFilter($"RowKey eq {ConnectionRow}");
}

using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Receipts;

/// <summary>
/// Table <c>receipts</c>: partition = connection, row key = SHA-256 of the receipt (receipts may hold any character),
/// the outcome as JSON plus its status.
/// </summary>
internal static class ReceiptRows
{
    public static string Partition(string connectionId) => TableKeys.Encode(connectionId);

    public static string RowKey(string receipt) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(receipt)));

    public static TableEntity ToEntity(ReceiptImport receipt) => new(Partition(receipt.ConnectionId), RowKey(receipt.Receipt))
    {
        ["Status"] = receipt.Status.ToString(),
        ["UpdatedAt"] = receipt.UpdatedAt,
        ["Json"] = StorageJson.Serialize(receipt),
    };

    public static ReceiptImport FromEntity(TableEntity entity) =>
        StorageJson.Deserialize<ReceiptImport>(entity.GetString("Json")) with { Version = entity.ETag.ToString() };

    /// <summary>
    /// When the receipt next needs the retry worker: its next attempt, or for a claim in progress the claim's time
    /// (the worker takes it over once it is stale). Null once it succeeded or gave up.
    /// </summary>
    public static DateTimeOffset? DueAt(ReceiptImport receipt) => receipt.Status switch
    {
        ReceiptStatus.Success => null,
        ReceiptStatus.Pending => receipt.NextAttemptAt is { } next && next < receipt.UpdatedAt ? next : receipt.UpdatedAt,
        _ => receipt.NextAttemptAt,
    };

    public static string DueKey(ReceiptImport receipt) => $"{Partition(receipt.ConnectionId)}|{RowKey(receipt.Receipt)}";
}

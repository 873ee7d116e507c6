using System.Security.Cryptography;
using System.Text;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Receipts;

/// <summary>
/// Table <c>receipts</c>: partition = connection, row key = SHA-256 of the receipt (receipts may hold any character),
/// the outcome as JSON plus the columns the retry worker filters on.
/// </summary>
public sealed class TableReceiptStore(TableProvider tables) : IReceiptStore
{
    public async Task<(ReceiptImport Stored, bool Claimed)> ClaimAsync(ReceiptImport pending, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            var result = await table.ExecuteAsync(TableOperation.Insert(ToEntity(pending)), null, null, cancellationToken);
            return (pending with { Version = result.Etag }, true);
        }
        catch (StorageException ex) when (ex.IsConflict())
        {
            var existing = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(Partition(pending.ConnectionId), RowKey(pending.Receipt)), null, null, cancellationToken);
            return (FromEntity((DynamicTableEntity)existing.Result), false);
        }
    }

    public async Task<ReceiptImport?> TrySaveAsync(ReceiptImport receipt, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await table.TryReplaceAsync(ToEntity(receipt), receipt.Version, cancellationToken) is { } version ? receipt with { Version = version } : null;
    }

    public async Task<IReadOnlyList<ReceiptImport>> ListDueAsync(DateTimeOffset now, DateTimeOffset staleBefore, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var due = TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("Status", QueryComparisons.NotEqual, nameof(ReceiptStatus.Success)),
            TableOperators.And,
            TableQuery.GenerateFilterConditionForDate("NextAttemptAt", QueryComparisons.LessThanOrEqual, now));
        var abandoned = TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("Status", QueryComparisons.Equal, nameof(ReceiptStatus.Pending)),
            TableOperators.And,
            TableQuery.GenerateFilterConditionForDate("UpdatedAt", QueryComparisons.LessThan, staleBefore));
        var query = new TableQuery<DynamicTableEntity>().Where(TableQuery.CombineFilters(due, TableOperators.Or, abandoned)).Take(take);
        return await table.ReadAllAsync(query, FromEntity, cancellationToken);
    }

    public async Task<ReceiptCounts> CountAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var query = new TableQuery<DynamicTableEntity>().Where(TableQueries.Partition(Partition(connectionId))).Select(["Status"]);
        long success = 0, failed = 0, limited = 0, pending = 0;
        await foreach (var entity in table.ExecuteAllAsync(query, cancellationToken))
        {
            switch (entity.Properties["Status"].StringValue)
            {
                case nameof(ReceiptStatus.Success): success++; break;
                case nameof(ReceiptStatus.Failed): failed++; break;
                case nameof(ReceiptStatus.RateLimited): limited++; break;
                default: pending++; break;
            }
        }

        return new ReceiptCounts(success, failed, limited, pending);
    }

    private Task<CloudTable> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Receipts, cancellationToken);

    private static string Partition(string connectionId) => TableKeys.Encode(connectionId);

    private static string RowKey(string receipt) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(receipt)));

    private static DynamicTableEntity ToEntity(ReceiptImport receipt)
    {
        var entity = new DynamicTableEntity(Partition(receipt.ConnectionId), RowKey(receipt.Receipt))
        {
            Properties =
            {
                ["Status"] = new EntityProperty(receipt.Status.ToString()),
                ["UpdatedAt"] = new EntityProperty(receipt.UpdatedAt),
                ["Json"] = new EntityProperty(StorageJson.Serialize(receipt)),
            },
        };
        if (receipt.NextAttemptAt is { } next)
        {
            entity.Properties["NextAttemptAt"] = new EntityProperty(next);
        }

        return entity;
    }

    private static ReceiptImport FromEntity(DynamicTableEntity entity) =>
        StorageJson.Deserialize<ReceiptImport>(entity.Properties["Json"].StringValue) with { Version = entity.ETag };
}

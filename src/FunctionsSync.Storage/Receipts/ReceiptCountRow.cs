using Azure.Data.Tables;
using FunctionsSync.Core.Receipts;

namespace FunctionsSync.Storage.Receipts;

/// <summary>
/// Row <c>~counts</c> of a connection's <c>receipts</c> partition (after every hash row key): how many of its receipts
/// are in each status, changed in the same transaction as the receipt row, so counting never reads the receipts.
/// </summary>
internal sealed record ReceiptCountRow(string Partition, long Success, long Failed, long RateLimited, long Pending, string? ETag)
{
    public const string Key = "~counts";

    public static ReceiptCountRow Empty(string partition) => new(partition, 0, 0, 0, 0, null);

    public ReceiptCountRow Move(ReceiptStatus? from, ReceiptStatus to) => Add(from, -1).Add(to, 1);

    /// <summary>A receipt in <paramref name="from"/> taken back (its row deleted).</summary>
    public ReceiptCountRow Remove(ReceiptStatus from) => Add(from, -1);

    public ReceiptCounts ToCounts() => new(Success, Failed, RateLimited, Pending);

    public TableEntity ToEntity() => new(Partition, Key)
    {
        [nameof(Success)] = Success,
        [nameof(Failed)] = Failed,
        [nameof(RateLimited)] = RateLimited,
        [nameof(Pending)] = Pending,
    };

    public static ReceiptCountRow FromEntity(TableEntity entity) => new(
        entity.PartitionKey,
        entity.GetInt64(nameof(Success)) ?? 0,
        entity.GetInt64(nameof(Failed)) ?? 0,
        entity.GetInt64(nameof(RateLimited)) ?? 0,
        entity.GetInt64(nameof(Pending)) ?? 0,
        entity.ETag.ToString());

    private ReceiptCountRow Add(ReceiptStatus? status, long delta) => status switch
    {
        null => this,
        ReceiptStatus.Success => this with { Success = Success + delta },
        ReceiptStatus.Failed => this with { Failed = Failed + delta },
        ReceiptStatus.RateLimited => this with { RateLimited = RateLimited + delta },
        _ => this with { Pending = Pending + delta },
    };
}

using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Retention;

/// <summary>
/// When receipts and deliveries stopped changing, as <see cref="DueIndex"/> partitions of table <c>indexes</c>
/// (<c>due|settled-receipts</c>, <c>due|settled-deliveries</c>): the retention pass reads the entries older than its
/// cut-off instead of filtering tables on a date column. The stores add an entry when they save an item settled; an
/// item that changes again (a replayed delivery) fails the pass's check and stays.
/// </summary>
internal sealed class SettledIndexes(TableProvider tables)
{
    public DueIndex Receipts { get; } = new(tables, "settled-receipts");

    public DueIndex Deliveries { get; } = new(tables, "settled-deliveries");

    /// <summary>When the receipt settled: succeeded, or failed with no attempt left. Null while it may still change.</summary>
    public static DateTimeOffset? SettledAt(ReceiptImport receipt) =>
        receipt.Status == ReceiptStatus.Success || receipt.Status != ReceiptStatus.Pending && receipt.NextAttemptAt is null ? receipt.UpdatedAt : null;

    /// <summary>When the delivery finished: delivered, or failed for good. Null while it is pending.</summary>
    public static DateTimeOffset? SettledAt(WebhookDelivery delivery) => delivery.Status switch
    {
        DeliveryStatus.Pending => null,
        _ => delivery.DeliveredAt ?? (delivery.Log.Count > 0 ? delivery.Log[^1].At : delivery.CreatedAt),
    };
}

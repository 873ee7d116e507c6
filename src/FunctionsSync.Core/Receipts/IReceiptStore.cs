namespace FunctionsSync.Core.Receipts;

/// <summary>Receipt outcomes, one row per (connection, receipt).</summary>
public interface IReceiptStore
{
    /// <summary>Stores <paramref name="pending"/> unless the receipt is known; returns what is stored and whether it was this call that stored it.</summary>
    Task<(ReceiptImport Stored, bool Claimed)> ClaimAsync(ReceiptImport pending, CancellationToken cancellationToken);

    /// <summary>Writes the receipt if it is still at its <see cref="ReceiptImport.Version"/>; null when someone else changed it.</summary>
    Task<ReceiptImport?> TrySaveAsync(ReceiptImport receipt, CancellationToken cancellationToken);

    /// <summary>Deletes a receipt this caller claimed if it is still at its <see cref="ReceiptImport.Version"/> (an import refused after its claim); false when it changed meanwhile.</summary>
    Task<bool> WithdrawAsync(ReceiptImport claimed, CancellationToken cancellationToken);

    /// <summary>Receipts whose next attempt is due, and pending ones whose claim is older than <paramref name="staleBefore"/>.</summary>
    Task<IReadOnlyList<ReceiptImport>> ListDueAsync(DateTimeOffset now, DateTimeOffset staleBefore, int take, CancellationToken cancellationToken);

    Task<ReceiptCounts> CountAsync(string connectionId, CancellationToken cancellationToken);
}

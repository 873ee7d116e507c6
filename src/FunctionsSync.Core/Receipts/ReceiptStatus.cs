namespace FunctionsSync.Core.Receipts;

public enum ReceiptStatus
{
    /// <summary>Claimed, the marketplace not asked yet (or the asking process died; the worker takes it over).</summary>
    Pending,
    Success,
    Failed,
    RateLimited,
}

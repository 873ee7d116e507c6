namespace FunctionsSync.Core.Receipts;

public sealed record ReceiptCounts(long Success, long Failed, long RateLimited, long Pending);

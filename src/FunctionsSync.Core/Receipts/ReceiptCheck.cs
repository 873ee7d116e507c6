namespace FunctionsSync.Core.Receipts;

/// <summary>What the marketplace said about a receipt.</summary>
public sealed record ReceiptCheck(ReceiptCheckKind Kind, string? OrderId = null, decimal? Amount = null, string? Currency = null, DateTimeOffset? ImportedAt = null, string? Error = null);

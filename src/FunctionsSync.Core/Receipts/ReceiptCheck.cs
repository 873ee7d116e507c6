namespace FunctionsSync.Core.Receipts;

public enum ReceiptCheckKind
{
    Valid,

    /// <summary>The marketplace says the receipt is not valid.</summary>
    Invalid,
    RateLimited,

    /// <summary>No usable answer (refused credentials, 5xx, timeout, unknown marketplace).</summary>
    Error,
}

/// <summary>What the marketplace said about a receipt.</summary>
public sealed record ReceiptCheck(ReceiptCheckKind Kind, string? OrderId = null, decimal? Amount = null, string? Currency = null, DateTimeOffset? ImportedAt = null, string? Error = null);

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

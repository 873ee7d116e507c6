namespace FunctionsSync.Core.Conflicts;

/// <summary>Why a record (or a connection) needs settling. Wire names are snake_case (<c>data_mismatch</c>).</summary>
public enum ConflictType
{
    /// <summary>The marketplace sent a record that cannot be mapped (a field missing or malformed).</summary>
    ValidationError,

    /// <summary>The marketplace listed one id twice with different content in one page; the newest was kept.</summary>
    DuplicateKey,

    /// <summary>The stored record was changed locally since the last sync and the marketplace changed it too.</summary>
    DataMismatch,

    /// <summary>The marketplace refused the connection's credentials.</summary>
    AuthError,

    /// <summary>A run gave up after its retries (rate limits, 5xx, timeouts).</summary>
    RetryExhausted,
}

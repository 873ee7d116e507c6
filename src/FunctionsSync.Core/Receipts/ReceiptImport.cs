namespace FunctionsSync.Core.Receipts;

/// <summary>The stored outcome of importing one receipt of one connection.</summary>
public sealed record ReceiptImport
{
    public required string ConnectionId { get; init; }
    public required string Receipt { get; init; }
    public ReceiptStatus Status { get; init; } = ReceiptStatus.Pending;
    public string? OrderId { get; init; }
    public decimal? Amount { get; init; }
    public string? Currency { get; init; }

    /// <summary>When the marketplace says the order was imported.</summary>
    public DateTimeOffset? ImportedAt { get; init; }

    /// <summary>Validation calls made so far.</summary>
    public int Attempts { get; init; }

    /// <summary>When the worker asks the marketplace again; null once the outcome is final.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string? Version { get; init; }
}

using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Conflicts;

/// <summary>
/// Something a sync could not settle by itself. One conflict per (connection, type, record): detecting it again
/// updates it, or reopens it when it had been closed.
/// </summary>
public sealed record Conflict
{
    public required string Id { get; init; }
    public required string ConnectionId { get; init; }
    public required string OrganizationId { get; init; }
    public required ConflictType Type { get; init; }
    public ConflictStatus Status { get; init; } = ConflictStatus.Open;

    /// <summary>The record concerned; null for conflicts of the whole connection (auth, retries).</summary>
    public EntityType? EntityType { get; init; }
    public string? ExternalId { get; init; }
    public required string Message { get; init; }

    /// <summary>The marketplace's version (record JSON) that could not be applied, where there is one.</summary>
    public string? SourceJson { get; init; }

    /// <summary>The run (and page) that detected it last; a replayed page recognises its own detection.</summary>
    public required string RunId { get; init; }
    public long PageSeq { get; init; }

    /// <summary>How many times it was opened; a reopened conflict is a new <c>conflict.created</c> event.</summary>
    public int Occurrence { get; init; } = 1;
    public DateTimeOffset DetectedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Automatic retries made (the policy's budget is <see cref="ConflictOptions.MaxAutoRetries"/>).</summary>
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public ConflictResolution? Resolution { get; init; }
    public string? ResolvedBy { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? Note { get; init; }

    /// <summary>The storage version it was read at; null for a conflict not stored yet.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Version { get; init; }

    public bool IsClosed => Status is ConflictStatus.Resolved or ConflictStatus.Skipped;
}

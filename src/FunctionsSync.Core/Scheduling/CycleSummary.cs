namespace FunctionsSync.Core.Scheduling;

/// <summary>What one scheduling cycle found and did.</summary>
public sealed record CycleSummary
{
    public required string CycleId { get; init; }
    public required string Kind { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int Considered { get; init; }
    public int Due { get; init; }
    public int Queued { get; init; }
    public int Requeued { get; init; }
    public int SkippedDisabled { get; init; }
    public int SkippedNeedsAttention { get; init; }
    public int SkippedActive { get; init; }
    public int SkippedNotDue { get; init; }
    public IReadOnlyList<string> RunIds { get; init; } = [];
}

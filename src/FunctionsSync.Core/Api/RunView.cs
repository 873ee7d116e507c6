using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Api;

/// <summary><c>GET /api/runs/{runId}</c>.</summary>
public sealed record RunView
{
    public required string RunId { get; init; }
    public required string ConnectionId { get; init; }
    public required string OrganizationId { get; init; }
    public required string Marketplace { get; init; }
    public required RunStatus Status { get; init; }
    public string? Phase { get; init; }

    /// <summary>A pause or cancel asked for and not yet honoured.</summary>
    public RunControl? Requested { get; init; }
    public required SyncMode Mode { get; init; }
    public required RunTrigger Trigger { get; init; }
    public required IReadOnlyList<string> EntityTypes { get; init; }
    public required CountersView Counters { get; init; }
    public required IReadOnlyList<EntityView> Entities { get; init; }

    /// <summary>Conflicts detected by type, e.g. <c>{"data_mismatch": 2}</c>.</summary>
    public IReadOnlyDictionary<string, long> Conflicts { get; init; } = new Dictionary<string, long>();
    public double PercentComplete { get; init; }
    public long? EstimatedTimeRemainingMs { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public long? DurationMs { get; init; }
    public int Attempts { get; init; }

    /// <summary>While running: when its runner last showed life (see <see cref="RunLiveness"/>).</summary>
    public DateTimeOffset? LastHeartbeatAt { get; init; }

    /// <summary>While running: true when no runner holds it (its runner died; the next one resumes it).</summary>
    public bool? Stale { get; init; }
    public string? Error { get; init; }
    public MarketplaceErrorKind? ErrorKind { get; init; }
    public IReadOnlyList<string> RecordErrors { get; init; } = [];

    public static RunView From(SyncRun run, DateTimeOffset now)
    {
        var c = run.Counters;
        var done = c.Processed + c.Skipped;
        var percent = run.Status is RunStatus.Succeeded or RunStatus.Partial ? 100
            : c.Total > 0 ? Math.Round(100.0 * done / c.Total, 1) : 0;
        long? eta = null;
        if (run.Status == RunStatus.Running && run.StartedAt is { } started && c.Processed > 0)
        {
            eta = (long)((now - started).TotalMilliseconds / c.Processed * c.Pending);
        }

        return new RunView
        {
            RunId = run.RunId,
            ConnectionId = run.ConnectionId,
            OrganizationId = run.OrganizationId,
            Marketplace = run.Marketplace,
            Status = run.Status,
            Phase = run.Status == RunStatus.Running ? run.Phase ?? RunPhase.Fetching : null,
            Mode = run.Mode,
            Trigger = run.Trigger,
            EntityTypes = [.. run.EntityTypes.Select(Records.EntityTypes.ToWire)],
            Counters = CountersView.From(c),
            Conflicts = run.Conflicts,
            Entities = [.. run.Entities.Select(e => new EntityView(Records.EntityTypes.ToWire(e.EntityType), e.State, CountersView.From(e.Counters)))],
            PercentComplete = percent,
            EstimatedTimeRemainingMs = eta,
            CreatedAt = run.CreatedAt,
            StartedAt = run.StartedAt,
            UpdatedAt = run.UpdatedAt,
            FinishedAt = run.FinishedAt,
            DurationMs = run.StartedAt is { } s ? (long)((run.FinishedAt ?? now) - s).TotalMilliseconds : null,
            Attempts = run.Attempts,
            Error = run.Error,
            ErrorKind = run.ErrorKind,
            RecordErrors = run.RecordErrors,
        };
    }
}

using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Runs;

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

    /// <summary>A backfill's change-time range; absent for every other run.</summary>
    public BackfillWindow? Window { get; init; }
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

    /// <summary>Marketplace requests sent (retries included), retries, 429 answers and time spent waiting on rate limits.</summary>
    public Telemetry.RunCalls MarketplaceCalls { get; init; } = Telemetry.RunCalls.None;

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
        var (done, expected) = RunProgress.Work(run);
        var activeMs = RunProgress.ActiveMs(run, now);
        long? eta = null;
        if (run.Status == RunStatus.Running && done > 0 && activeMs > 0)
        {
            // The pace so far over what is left, all entity types included.
            eta = (long)((double)activeMs / done * (expected - done));
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
            Window = run.Window,
            Trigger = run.Trigger,
            EntityTypes = [.. run.EntityTypes.Select(Records.EntityTypes.ToWire)],
            Counters = CountersView.From(c),
            Conflicts = run.Conflicts,
            Entities = [.. run.Entities.Select(e => new EntityView(Records.EntityTypes.ToWire(e.EntityType), e.State, CountersView.From(e.Counters), FreshnessView.From(Records.EntityTypes.ToWire(e.EntityType), e.Lag), run.TargetsOf(e.EntityType)?.Count))],
            PercentComplete = RunProgress.PercentOf(run),
            EstimatedTimeRemainingMs = eta,
            CreatedAt = run.CreatedAt,
            StartedAt = run.StartedAt,
            UpdatedAt = run.UpdatedAt,
            FinishedAt = run.FinishedAt,
            // Time spent running: not paused, queued, or waiting for a runner to take over (runs stored before this
            // was counted fall back to their wall time).
            DurationMs = run.StartedAt is not { } s ? null
                : run.ActiveMs is null && run.RunningSince is null ? (long)((run.FinishedAt ?? now) - s).TotalMilliseconds
                : activeMs,
            Attempts = run.Attempts,
            MarketplaceCalls = run.Calls ?? Telemetry.RunCalls.None,
            Error = run.Error,
            ErrorKind = run.ErrorKind,
            RecordErrors = run.RecordErrors,
        };
    }
}

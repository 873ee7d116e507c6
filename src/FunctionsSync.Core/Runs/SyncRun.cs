using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Runs;

/// <summary>One sync of one connection, as persisted at its last checkpoint.</summary>
public sealed record SyncRun
{
    public required string RunId { get; init; }
    public required string ConnectionId { get; init; }
    public required string OrganizationId { get; init; }
    public required string Marketplace { get; init; }
    public required SyncMode Mode { get; init; }
    public required RunTrigger Trigger { get; init; }
    public required IReadOnlyList<EntityType> EntityTypes { get; init; }

    /// <summary>A backfill's change-time range (<see cref="SyncMode.Backfill"/>); null for every other run.</summary>
    public BackfillWindow? Window { get; init; }

    /// <summary>
    /// A notified run's named records, per feed that reads just those (<see cref="RunTarget"/>; feeds not listed read
    /// from their mark). Such a feed moves no high-water mark: the schedule still reads everything else.
    /// </summary>
    public IReadOnlyList<RunTarget>? Targets { get; init; }
    public RunStatus Status { get; init; } = RunStatus.Queued;

    /// <summary>While running: <c>fetching</c>, <c>ingesting</c> or <c>finalizing</c> (see <see cref="RunPhase"/>).</summary>
    public string? Phase { get; init; }
    public IReadOnlyList<EntityProgress> Entities { get; init; } = [];

    /// <summary>Sequence number of the last page whose results were checkpointed; pages are numbered across entity types.</summary>
    public long PageSeq { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public MarketplaceErrorKind? ErrorKind { get; init; }

    /// <summary>The first few per-record failure reasons, so an operator sees why a run is partial.</summary>
    public IReadOnlyList<string> RecordErrors { get; init; } = [];

    /// <summary>Conflicts detected by type (<c>data_mismatch</c>, ...); their records are counted as skipped.</summary>
    public IReadOnlyDictionary<string, long> Conflicts { get; init; } = new Dictionary<string, long>();

    /// <summary>Running time of the stretches that ended (pauses, interruptions and dead runners not counted).</summary>
    public long? ActiveMs { get; init; }

    /// <summary>Start of the running stretch in progress; null while queued, paused, interrupted or ended.</summary>
    public DateTimeOffset? RunningSince { get; init; }

    /// <summary>The run's marketplace traffic so far, every attempt included.</summary>
    public Telemetry.RunCalls? Calls { get; init; }

    /// <summary>The highest percent complete a checkpoint has shown (see <see cref="RunProgress"/>).</summary>
    public double ProgressFloor { get; init; }

    /// <summary>How many times a runner picked this run up; above 1 it was resumed.</summary>
    public int Attempts { get; init; }

    public RunCounters Counters => Entities.Aggregate(RunCounters.Zero, (sum, e) => sum.Add(e.Counters));

    /// <summary>The records a targeted read of <paramref name="type"/> asks for; null: the feed is read from its mark.</summary>
    public IReadOnlyList<string>? TargetsOf(EntityType type) => Targets?.FirstOrDefault(t => t.EntityType == type)?.Ids;

    public EntityProgress? Entity(EntityType type) => Entities.FirstOrDefault(e => e.EntityType == type);

    /// <summary>
    /// The entity types as a run that ended <see cref="RunStatus.Failed"/> or <see cref="RunStatus.Cancelled"/> left
    /// them: the one being read failed or was cancelled, those not started were not read (any other end: unchanged).
    /// </summary>
    public SyncRun WithEntitiesSettled() => Status is not (RunStatus.Failed or RunStatus.Cancelled) ? this : this with
    {
        Entities = [.. Entities.Select(e => e.State switch
        {
            EntityRunState.Running => e with { State = Status == RunStatus.Failed ? EntityRunState.Failed : EntityRunState.Cancelled },
            EntityRunState.Pending => e with { State = EntityRunState.NotRead },
            _ => e,
        })],
    };

    public SyncRun WithEntity(EntityProgress progress) => this with
    {
        Entities = [.. Entities.Select(e => e.EntityType == progress.EntityType ? progress : e)],
    };
}

using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Telemetry;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// One runner's attempt at a run, as <see cref="ConnectionSyncer"/>'s steps hand it on: the run as it stands, the
/// cursors and the feed being read, the lease chain, the pages of this slice, and the cadence of its checks and
/// reports. What changes, changes through a method named for the step that changes it.
/// </summary>
internal sealed class RunAttempt(
    Connection connection,
    IMarketplaceAdapter adapter,
    SyncRun run,
    IReadOnlyDictionary<EntityType, EntityCursor> cursors,
    CheckpointChain chain,
    MarketplaceCallScope calls,
    System.Diagnostics.Activity? activity,
    DateTimeOffset started)
{
    private readonly Dictionary<EntityType, EntityCursor> cursors = new(cursors);
    private readonly List<EntityCursor> unsaved = [];

    public Connection Connection { get; } = connection;
    public IMarketplaceAdapter Adapter { get; } = adapter;
    public CheckpointChain Chain { get; } = chain;

    /// <summary>The run's marketplace traffic so far (requests, retries, 429s, rate-limit waits).</summary>
    public MarketplaceCallScope Calls { get; } = calls;

    public System.Diagnostics.Activity? Activity { get; } = activity;

    /// <summary>The run as it stands, as last changed by <see cref="Record"/>.</summary>
    public SyncRun Run { get; private set; } = run;

    /// <summary>The cursor of the feed being read (null before the first and once the feeds are done).</summary>
    public EntityCursor? Cursor { get; private set; }

    /// <summary>The feed being read; a failure names it.</summary>
    public EntityType? Current => Cursor?.EntityType;

    /// <summary>Pages (writes) begun in this slice.</summary>
    public int Pages { get; private set; }

    /// <summary>Operator requests (pause, cancel) are looked up at most this often; the first page looks at once.</summary>
    public Cadence ControlChecks { get; } = new(DateTimeOffset.MinValue);

    /// <summary>Whether a look at the run's operator request found one: only then is there a request row to clear at its end.</summary>
    public bool ControlSeen { get; private set; }

    public Cadence ProgressLogs { get; } = new(started);

    /// <summary>The first page sends a <c>run.progress</c> event at once.</summary>
    public Cadence ProgressEvents { get; } = new(DateTimeOffset.MinValue);

    /// <summary>What was being read, for an error: the marketplace and the entity type.</summary>
    public string Where => Current is { } type ? $"{Connection.Marketplace} {type.ToWire()}" : Connection.Marketplace;

    /// <summary>An operator request looked up (null: none); returns it.</summary>
    public RunControl? Looked(RunControl? control)
    {
        ControlSeen |= control is not null;
        return control;
    }

    /// <summary>The run as changed by a step (started, a page applied, ended); returns it.</summary>
    public SyncRun Record(SyncRun changed) => Run = changed;

    /// <summary>The cursor stored for a feed, from the attempt's start or the last checkpoint begun.</summary>
    public EntityCursor? StoredCursor(EntityType type) => cursors.GetValueOrDefault(type);

    /// <summary>The feed now read and where its cursor stands; returns it.</summary>
    public EntityCursor Reading(EntityCursor cursor) => Cursor = cursor;

    /// <summary>A page's checkpoint carrying <paramref name="cursor"/> was begun: the feed resumes from it.</summary>
    public void Checkpointed(EntityCursor cursor) => cursors[cursor.EntityType] = cursor;

    /// <summary>
    /// A feed ended on a page with nothing in it: its cursor waits for the attempt's next checkpoint rather than taking
    /// one of its own (a quiet store's run then writes once at its end, not once per feed). Every checkpoint that writes
    /// the run takes these with it (<see cref="TakeUnsaved"/>), so a stored run never counts a page its cursor missed;
    /// lost with a crash, they cost a re-read of an empty page.
    /// </summary>
    public void SaveLater(EntityCursor cursor)
    {
        unsaved.RemoveAll(c => c.EntityType == cursor.EntityType);
        unsaved.Add(cursor);
        cursors[cursor.EntityType] = cursor;
    }

    /// <summary>The cursors <see cref="SaveLater"/> held back, followed by <paramref name="more"/>; the attempt holds none after.</summary>
    public IReadOnlyList<EntityCursor> TakeUnsaved(params IReadOnlyList<EntityCursor> more)
    {
        if (unsaved.Count == 0)
        {
            return more;
        }

        IReadOnlyList<EntityCursor> taken = [.. unsaved, .. more];
        unsaved.Clear();
        return taken;
    }

    /// <summary>
    /// A feed's records became tombstones: the entity's <c>deleted</c> counter goes up and its cursor's stored count down
    /// by <paramref name="count"/>; returns that cursor (null when the feed has none), to be saved with the run's end.
    /// </summary>
    public EntityCursor? Tombstoned(EntityType type, long count)
    {
        if (Run.Entity(type) is { } entity)
        {
            Record(Run.WithEntity(entity with { Counters = entity.Counters with { Deleted = entity.Counters.Deleted + count } }));
        }

        return StoredCursor(type) is { } cursor ? cursor with { StoredRecords = Math.Max(0, cursor.StoredRecords - count) } : null;
    }

    /// <summary>Every feed is done.</summary>
    public void FeedsDone() => Cursor = null;

    /// <summary>A page of this slice begins; returns how many have.</summary>
    public int BeginPage() => ++Pages;
}

using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Telemetry;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// One runner's attempt at a run, as <see cref="ConnectionSyncer"/>'s steps hand it on: the run as it stands, the
/// cursors and the feed being read, the lease chain, the pages of this slice, and when progress was last reported.
/// </summary>
internal sealed class RunAttempt(Connection connection, IMarketplaceAdapter adapter, SyncRun run, CheckpointChain chain, MarketplaceCallScope calls, System.Diagnostics.Activity? activity, DateTimeOffset started)
{
    public Connection Connection { get; } = connection;
    public IMarketplaceAdapter Adapter { get; } = adapter;
    public CheckpointChain Chain { get; } = chain;

    /// <summary>The run's marketplace traffic so far (requests, retries, 429s, rate-limit waits).</summary>
    public MarketplaceCallScope Calls { get; } = calls;

    public System.Diagnostics.Activity? Activity { get; } = activity;

    public SyncRun Run { get; set; } = run;

    public Dictionary<EntityType, EntityCursor> Cursors { get; set; } = [];

    /// <summary>The cursor of the feed being read (null once the feeds are done).</summary>
    public EntityCursor? Cursor { get; set; }

    /// <summary>The feed being read; a failure names it.</summary>
    public EntityType? Current => Cursor?.EntityType;

    /// <summary>Pages (writes) begun in this slice.</summary>
    public int Pages { get; set; }

    public DateTimeOffset LastControlCheck { get; set; } = DateTimeOffset.MinValue;
    public DateTimeOffset LastProgressLog { get; set; } = started;
    public DateTimeOffset LastProgressEvent { get; set; } = DateTimeOffset.MinValue;

    /// <summary>What was being read, for an error: the marketplace and the entity type.</summary>
    public string Where => Current is { } type ? $"{Connection.Marketplace} {type.ToWire()}" : Connection.Marketplace;
}

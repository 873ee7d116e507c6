using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.Core.Sync;

/// <param name="Run">The run as it stands after the page.</param>
/// <param name="Cursors">Cursors that changed.</param>
/// <param name="LeaseUntil">New lease expiry; ignored when <paramref name="Release"/>.</param>
/// <param name="Release">Give the lease up (end of run or interruption).</param>
/// <param name="ActiveRunId">The run the next lease holder must resume; null once the run is final.</param>
/// <param name="Events">Outbox events the change produces (<c>sync.started</c>, ...), written in the same transaction.</param>
public sealed record Checkpoint(SyncRun Run, IReadOnlyList<EntityCursor> Cursors, DateTimeOffset LeaseUntil, bool Release, string? ActiveRunId, IReadOnlyList<OutboxEvent>? Events = null)
{
    /// <summary>Every checkpoint stores the run settled: its progress floor raised and an ended running stretch counted.</summary>
    public SyncRun Run { get; init; } = RunProgress.Settled(Run);
}

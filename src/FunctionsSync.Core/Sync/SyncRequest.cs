using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Sync;

/// <param name="EntityTypes">Null: every type the marketplace supports.</param>
/// <param name="RunId">A run created earlier (queued); null starts a new one.</param>
/// <param name="Owner">Lease owner (replica and worker, or an orchestration instance stepping the run page by page);
/// null: a unique one. A caller holding the lease under this owner continues without waiting for it to expire.</param>
/// <param name="Window">A backfill's range (with <see cref="SyncMode.Backfill"/>).</param>
public sealed record SyncRequest(
    string ConnectionId,
    SyncMode Mode = SyncMode.Incremental,
    IReadOnlyList<EntityType>? EntityTypes = null,
    RunTrigger Trigger = RunTrigger.Manual,
    string? RunId = null,
    string? Owner = null,
    BackfillWindow? Window = null);

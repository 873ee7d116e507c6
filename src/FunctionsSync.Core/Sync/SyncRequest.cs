using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Sync;

/// <param name="EntityTypes">Null: every type the marketplace supports.</param>
/// <param name="RunId">A run created earlier (queued); null starts a new one.</param>
/// <param name="Owner">Lease owner name (replica and worker); a unique suffix is added.</param>
public sealed record SyncRequest(
    string ConnectionId,
    SyncMode Mode = SyncMode.Incremental,
    IReadOnlyList<EntityType>? EntityTypes = null,
    RunTrigger Trigger = RunTrigger.Manual,
    string? RunId = null,
    string Owner = "runner");

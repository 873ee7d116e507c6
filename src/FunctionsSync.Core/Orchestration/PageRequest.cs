using FunctionsSync.Core.Jobs;

namespace FunctionsSync.Core.Orchestration;

/// <param name="Owner">The orchestration instance id: it holds the connection's lease from page to page.</param>
/// <param name="Planned">The scheduled job to record the run from, when the run is not recorded yet.</param>
public sealed record PageRequest(string RunId, string ConnectionId, string Owner, SyncJob? Planned = null);

using FunctionsSync.Core.Jobs;

namespace FunctionsSync.Core.Orchestration;

/// <param name="Generation">How many times the orchestration continued as new.</param>
/// <param name="Planned">A scheduled cycle's job, whose run the first page records; null when the run is recorded.</param>
public sealed record ConnectionSyncInput(
    string RunId,
    string ConnectionId,
    int PagesPerGeneration,
    ActivityRetry Retry,
    TimeSpan PausedRecheckInterval,
    int Generation = 0,
    SyncJob? Planned = null);

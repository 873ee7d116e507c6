namespace FunctionsSync.Core.Orchestration;

/// <param name="Generation">How many times the orchestration continued as new.</param>
public sealed record ConnectionSyncInput(
    string RunId,
    string ConnectionId,
    int PagesPerGeneration,
    ActivityRetry Retry,
    TimeSpan PausedRecheckInterval,
    int Generation = 0);

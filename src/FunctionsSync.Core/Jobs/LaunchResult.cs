using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Jobs;

/// <param name="Run">The queued run, when launched.</param>
/// <param name="ConflictingRunId">The run already in flight, when not.</param>
public sealed record LaunchResult(SyncRun? Run, string? ConflictingRunId);

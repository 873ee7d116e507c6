namespace FunctionsSync.Core.Sync;

/// <param name="Queued">The run was recorded as the connection's active run.</param>
/// <param name="ActiveRunId">When not queued: the run that is already active.</param>
public sealed record QueueRunResult(bool Queued, string? ActiveRunId);

namespace FunctionsSync.Core.Orchestration;

/// <param name="Dropped">Scheduled jobs dropped at start (no run recorded): the cycle would no longer have planned them.</param>
public sealed record CycleResult(string CycleId, int Started, int Succeeded, int Failed, IReadOnlyList<PageResult> Runs, int Dropped = 0);

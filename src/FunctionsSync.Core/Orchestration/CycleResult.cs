namespace FunctionsSync.Core.Orchestration;

public sealed record CycleResult(string CycleId, int Started, int Succeeded, int Failed, IReadOnlyList<PageResult> Runs);

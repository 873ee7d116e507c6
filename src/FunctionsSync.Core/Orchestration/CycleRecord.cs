namespace FunctionsSync.Core.Orchestration;

public sealed record CycleRecord(CyclePlan Plan, CycleResult Result);

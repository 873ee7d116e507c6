namespace FunctionsSync.Core.Orchestration;

public sealed record CycleCounts(int Considered, int Due, int Disabled, int NeedsAttention, int Active, int NotDue);

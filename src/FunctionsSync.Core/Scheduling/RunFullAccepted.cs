using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

/// <summary><c>POST /api/sync/run-full</c>'s answer on both hosts: the cycle and the runs it queued.</summary>
/// <param name="SkippedActive">Connections left out because a run of theirs is active.</param>
public sealed record RunFullAccepted(string CycleId, int Queued, int SkippedActive, IReadOnlyList<string> RunIds);

using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

/// <summary>
/// <c>POST /api/sync/run-full</c>'s answer on both hosts: the cycle, the runs it queued, and the connections it left
/// out, by why: none is left out silently.
/// </summary>
/// <param name="SkippedActive">Connections left out because a run of theirs is active.</param>
/// <param name="SkippedNeedsAttention">Left out because their credentials were refused: a person must renew them first.</param>
/// <param name="SkippedDisabled">Left out because they are disabled (by an operator or after repeated failures).</param>
/// <param name="Skipped">The first 100 of those left out, each with its name and why.</param>
public sealed record RunFullAccepted(string CycleId, int Queued, int SkippedActive, IReadOnlyList<string> RunIds, int SkippedNeedsAttention, int SkippedDisabled, IReadOnlyList<SkippedConnection> Skipped);

using FunctionsSync.Core.Scheduling;

namespace FunctionsSync.Core.Orchestration;

/// <param name="Plan">The cycle planned already (a <c>run-full</c> request plans it to answer with its runs); null: the cycle plans itself.</param>
public sealed record CycleInput(CycleKind Kind, string? OrganizationId, CyclePlan? Plan = null);

namespace FunctionsSync.Core.Orchestration;

/// <param name="Kind"><c>scheduled</c> or <c>full</c>.</param>
/// <param name="Plan">The cycle planned already (a <c>run-full</c> request plans it to answer with its runs); null: the cycle plans itself.</param>
public sealed record CycleInput(string Kind, string? OrganizationId, CyclePlan? Plan = null);

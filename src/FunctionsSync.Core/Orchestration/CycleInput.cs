namespace FunctionsSync.Core.Orchestration;

/// <param name="Kind"><c>scheduled</c> or <c>full</c>.</param>
public sealed record CycleInput(string Kind, string? OrganizationId);

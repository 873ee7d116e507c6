using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

/// <summary><c>POST /api/sync/run-full</c>: one organization, or <c>"all": true</c>.</summary>
public sealed class RunFullRequest
{
    public string? OrganizationId { get; set; }

    public bool? All { get; set; }
}

using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

public sealed class TriggerRequest
{
    public List<string>? ConnectionIds { get; set; }
    public string? OrganizationId { get; set; }
    public List<string>? EntityTypes { get; set; }
    public string? Mode { get; set; }

    /// <summary>Every enabled connection the caller may see; the scope must be named (see <see cref="SyncScope"/>).</summary>
    public bool? All { get; set; }
}

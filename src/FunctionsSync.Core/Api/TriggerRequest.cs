namespace FunctionsSync.Core.Api;

public sealed class TriggerRequest
{
    public List<string>? ConnectionIds { get; set; }
    public string? OrganizationId { get; set; }
    public List<string>? EntityTypes { get; set; }
    public string? Mode { get; set; }
}

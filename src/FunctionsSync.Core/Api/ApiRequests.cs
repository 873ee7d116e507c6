namespace FunctionsSync.Core.Api;

public sealed class RegisterConnectionRequest
{
    public string? OrganizationId { get; set; }
    public string? Marketplace { get; set; }
    public string? ExternalStoreId { get; set; }
    public string? Name { get; set; }
    public Dictionary<string, string>? Credentials { get; set; }
    public Dictionary<string, string>? Settings { get; set; }
}

public sealed class PatchConnectionRequest
{
    public bool? Enabled { get; set; }
    public int? Priority { get; set; }
    public int? IntervalMinutes { get; set; }
    public Dictionary<string, string>? Credentials { get; set; }
    public Dictionary<string, string>? Settings { get; set; }
}

public sealed class TriggerRequest
{
    public List<string>? ConnectionIds { get; set; }
    public string? OrganizationId { get; set; }
    public List<string>? EntityTypes { get; set; }
    public string? Mode { get; set; }
}

public sealed class IntervalRequest
{
    public string? Cron { get; set; }
    public int? Minutes { get; set; }
}

public sealed class IssueKeyRequest
{
    public string? OrganizationId { get; set; }
}

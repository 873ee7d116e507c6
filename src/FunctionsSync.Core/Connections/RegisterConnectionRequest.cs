using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Connections;

public sealed class RegisterConnectionRequest
{
    public string? OrganizationId { get; set; }
    public string? Marketplace { get; set; }
    public string? ExternalStoreId { get; set; }
    public string? Name { get; set; }
    public Dictionary<string, string>? Credentials { get; set; }
    public Dictionary<string, string>? Settings { get; set; }
}

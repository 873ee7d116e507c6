namespace FunctionsSync.Core.Api;

public sealed class IssueKeyRequest
{
    public string? OrganizationId { get; set; }
}

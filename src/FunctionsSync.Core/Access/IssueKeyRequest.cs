using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Access;

public sealed class IssueKeyRequest
{
    public string? OrganizationId { get; set; }
}

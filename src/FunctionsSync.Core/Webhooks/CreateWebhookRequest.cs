using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Webhooks;

public sealed class CreateWebhookRequest
{
    public string? OrganizationId { get; set; }
    public List<string>? Events { get; set; }
    public string? TargetUrl { get; set; }
    public string? Description { get; set; }
}

using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.Core.Api;

/// <param name="Secret">Only in the answer to the request that created the endpoint.</param>
public sealed record WebhookEndpointView(
    string Id, string OrganizationId, string TargetUrl, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt, string? DisabledReason, DateTimeOffset? FailingSince, string? Secret = null)
{
    public static WebhookEndpointView From(WebhookEndpoint e) =>
        new(e.Id, e.OrganizationId, e.TargetUrl, e.Events, e.Description, e.CreatedAt, e.DisabledAt, e.DisabledReason, e.FailingSince);
}

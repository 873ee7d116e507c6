using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Webhooks;

/// <param name="Secret">Only in the answer to the request that created the endpoint or rotated its secret.</param>
/// <param name="PreviousSecretExpiresAt">After a rotation: until when the previous secret also signs.</param>
public sealed record WebhookEndpointView(
    string Id, string OrganizationId, string TargetUrl, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt, string? DisabledReason, DateTimeOffset? FailingSince, string? Secret = null, DateTimeOffset? PreviousSecretExpiresAt = null)
{
    /// <summary>False once disabled, by an operator's PATCH or by the failure policy (<see cref="DisabledReason"/> says which).</summary>
    public bool Enabled => DisabledAt is null;

    public static WebhookEndpointView From(WebhookEndpoint e) =>
        new(e.Id, e.OrganizationId, e.TargetUrl, e.Events, e.Description, e.CreatedAt, e.DisabledAt, e.DisabledReason, e.FailingSince, PreviousSecretExpiresAt: e.PreviousSecretExpiresAt);
}

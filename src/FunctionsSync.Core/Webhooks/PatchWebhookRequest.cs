using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Webhooks;

/// <summary><c>PATCH /api/webhooks/{id}</c>: only the fields given change.</summary>
public sealed class PatchWebhookRequest
{
    public List<string?>? Events { get; set; }
    public string? TargetUrl { get; set; }
    public string? Description { get; set; }
    public bool? Enabled { get; set; }
}

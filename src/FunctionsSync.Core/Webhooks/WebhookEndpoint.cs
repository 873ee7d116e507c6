namespace FunctionsSync.Core.Webhooks;

/// <summary>A subscriber: where events of one organization go and the secret they are signed with.</summary>
public sealed record WebhookEndpoint
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string TargetUrl { get; init; }
    public required IReadOnlyList<string> Events { get; init; }
    public string? Description { get; init; }

    /// <summary><c>whsec_</c> + base64 key (Standard Webhooks). Shown once, when the endpoint is created.</summary>
    public required string Secret { get; init; }

    /// <summary>After a rotation: the secret before it, which also signs until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; init; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>The secrets that sign a delivery at <paramref name="now"/>: the current one, and the previous one during its overlap.</summary>
    public IEnumerable<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set when the endpoint stopped receiving deliveries (failing for too long).</summary>
    public DateTimeOffset? DisabledAt { get; init; }
    public string? DisabledReason { get; init; }

    /// <summary>Start of the current run of failed attempts; cleared by any success.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    public bool Subscribes(string eventType) => DisabledAt is null && Events.Contains(eventType);
}

namespace FunctionsSync.Core.Webhooks;

/// <summary>One event on its way to one endpoint, with every attempt made.</summary>
public sealed record WebhookDelivery
{
    public required string EndpointId { get; init; }
    public required string EventId { get; init; }
    public required string OrganizationId { get; init; }
    public required string EventType { get; init; }
    public required string Payload { get; init; }
    public DeliveryStatus Status { get; init; } = DeliveryStatus.Pending;

    /// <summary>Attempts since the delivery was created or last replayed; drives the retry schedule.</summary>
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>
    /// Set while an attempt is in flight: when its claim lapses (<see cref="NextAttemptAt"/> is the same, so a worker that
    /// died mid-attempt leaves the delivery due again then). A replay waits for it to clear.
    /// </summary>
    public DateTimeOffset? ClaimedUntil { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public IReadOnlyList<DeliveryAttempt> Log { get; init; } = [];

    /// <summary>The storage version the delivery was read at; writes are conditional on it.</summary>
    public string? Version { get; init; }

    public string Id => DeliveryIds.Format(EndpointId, EventId);
}

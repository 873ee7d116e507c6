namespace FunctionsSync.Core.Notifications;

/// <summary>The answer to a verified notification.</summary>
/// <param name="Outcome"><c>queued</c> (a run reads the notified feeds), <c>pending</c> (a run is in flight: another follows it), <c>duplicate</c> (seen before), <c>ignored</c> (a topic naming no feed read here), <c>deleted</c> (the marketplace confirmed the deletion it notified: the record is a tombstone now), <c>redacted</c> or <c>recorded</c> (Shopify's compliance topics).</param>
/// <param name="RunId">The run queued for it, when one was.</param>
public sealed record NotificationAccepted(string Outcome, string? RunId)
{
    /// <summary>What a <c>customers/redact</c> erased.</summary>
    public Privacy.RedactionSummary? Redaction { get; init; }

    /// <summary>What a <c>shop/redact</c> erased.</summary>
    public Privacy.ShopRedactionSummary? ShopRedaction { get; init; }
}

namespace FunctionsSync.Simulator.Webhooks;

/// <summary>A delivery the receiver accepted (once per <c>webhook-id</c>).</summary>
public sealed record ReceivedWebhook(string WebhookId, DateTimeOffset ReceivedAt, string Body);

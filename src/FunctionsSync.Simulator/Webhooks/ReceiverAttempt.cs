namespace FunctionsSync.Simulator.Webhooks;

/// <summary>One request the receiver answered, with its status and why.</summary>
public sealed record ReceiverAttempt(string? WebhookId, DateTimeOffset At, int Status, string Outcome);

namespace FunctionsSync.Core.Webhooks;

/// <param name="StatusCode">The receiver's HTTP status; null when no answer came (timeout, refused connection).</param>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, int? StatusCode, string? Error, long DurationMs);

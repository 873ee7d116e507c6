namespace FunctionsSync.Core.Notifications;

/// <summary>The answer to a verified notification.</summary>
/// <param name="Outcome"><c>queued</c> (a run reads the notified feeds), <c>pending</c> (a run is in flight: another follows it), <c>duplicate</c> (seen before), <c>ignored</c> (a topic naming no feed read here).</param>
/// <param name="RunId">The run queued for it, when one was.</param>
public sealed record NotificationAccepted(string Outcome, string? RunId);

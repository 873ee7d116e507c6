namespace FunctionsSync.Core.Adapters;

/// <summary>Rate-limit state as a marketplace reported it on a response.</summary>
/// <param name="Limit">Requests allowed per window or bucket size.</param>
/// <param name="Remaining">Requests left in the window or bucket.</param>
/// <param name="RequestsPerSecond">Sustained rate the marketplace allows, where stated.</param>
/// <param name="RetryAfter">How long the marketplace asked us to wait, on a 429.</param>
public sealed record RateLimitInfo(double? Limit, double? Remaining, double? RequestsPerSecond, TimeSpan? RetryAfter);

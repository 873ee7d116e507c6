using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Adapters;

/// <param name="Records">Records that mapped cleanly.</param>
/// <param name="Rejected">Records the adapter could not map, with the reason.</param>
/// <param name="NextPageToken">Token for the next page; null when the feed is exhausted.</param>
/// <param name="TotalCount">The marketplace's count of matching records, where it reports one.</param>
/// <param name="RateLimit">What the marketplace said about its rate limit on this response.</param>
public sealed record FetchPage(
    IReadOnlyList<CanonicalRecord> Records,
    IReadOnlyList<RejectedRecord> Rejected,
    string? NextPageToken,
    long? TotalCount = null,
    RateLimitInfo? RateLimit = null);

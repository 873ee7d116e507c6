using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Adapters;

/// <param name="Records">Records that mapped cleanly.</param>
/// <param name="Rejected">Records the adapter could not map, with the reason.</param>
/// <param name="NextPageToken">Token for the next page; null when the feed is exhausted.</param>
/// <param name="TotalCount">The marketplace's count of matching records, where it reports one.</param>
/// <param name="RateLimit">What the marketplace said about its rate limit on this response.</param>
/// <param name="Expected">
/// How many records (mapped or rejected) this page adds to what the feed should deliver by the marketplace's own count,
/// stated only where the adapter delivers exactly one record per object counted: a bulk operation's
/// <c>rootObjectCount</c> on its first page; on an offset list, what the page delivered plus what the list's total
/// says it left out. The feed sums them; one that ends having delivered fewer is short, and the run does not pass it
/// (completeness). Null: no such count.
/// </param>
public sealed record FetchPage(
    IReadOnlyList<CanonicalRecord> Records,
    IReadOnlyList<RejectedRecord> Rejected,
    string? NextPageToken,
    long? TotalCount = null,
    RateLimitInfo? RateLimit = null,
    long? Expected = null);

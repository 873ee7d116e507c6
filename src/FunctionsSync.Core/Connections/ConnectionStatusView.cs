using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Connections;

/// <param name="ImportedOrders">Orders pulled by syncs plus orders pushed as receipts.</param>
/// <param name="SyncStatus">See <see cref="SyncHistoryStatus"/>; a failed or rate-limited receipt makes an otherwise successful connection partial.</param>
/// <param name="RateLimitedCount">Runs that ended rate limited plus receipts waiting out a rate limit.</param>
/// <param name="Freshness">Per entity type, the lag of the changes stored by the runs in the status window (the last 20), merged.</param>
/// <param name="StaleSince">Since when the connection misses its freshness objective; null while it meets it or has none.</param>
public sealed record ConnectionStatusView(DateTimeOffset? LastSyncAt, long ImportedOrders, string SyncStatus, long RateLimitedCount, ReceiptCountsView Receipts, IReadOnlyList<FreshnessView> Freshness, DateTimeOffset? StaleSince);

public sealed record ReceiptCountsView(long Success, long Failed, long RateLimited, long Pending);

using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;

namespace FunctionsSync.Core.Api;

// The answers of GET /api/sync/status and GET /api/connections/{id}/status, as records the OpenAPI document describes.

/// <param name="NextRunAt">The next cycle; absent while the schedule is stopped.</param>
/// <param name="LastCycle">The admin key's view only.</param>
/// <param name="Health">The service's: see <see cref="ServiceHealthRule"/>.</param>
public sealed record SyncStatusView(
    bool Enabled,
    string Schedule,
    DateTimeOffset? NextRunAt,
    CycleSummary? LastCycle,
    ConnectionCountsView Connections,
    IReadOnlyList<ActiveRunView> ActiveRuns,
    string Health);

/// <param name="Health">Every connection counted once, by its health as <c>GET /api/connections</c> shows it.</param>
public sealed record ConnectionCountsView(int Total, int Enabled, int Disabled, int NeedsAttention, IReadOnlyDictionary<string, int> Health, LastRunCountsView LastRun);

public sealed record LastRunCountsView(int Never, int Succeeded, int Partial, int Failed, int Cancelled);

public sealed record ActiveRunView(string RunId, string ConnectionId, RunStatus Status, double PercentComplete);

/// <param name="ImportedOrders">Orders pulled by syncs plus orders pushed as receipts.</param>
/// <param name="SyncStatus">See <see cref="SyncHistoryStatus"/>; a failed or rate-limited receipt makes an otherwise successful connection partial.</param>
/// <param name="RateLimitedCount">Runs that ended rate limited plus receipts waiting out a rate limit.</param>
public sealed record ConnectionStatusView(DateTimeOffset? LastSyncAt, long ImportedOrders, string SyncStatus, long RateLimitedCount, ReceiptCountsView Receipts);

public sealed record ReceiptCountsView(long Success, long Failed, long RateLimited, long Pending);

using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Scheduling;

/// <param name="NextRunAt">The next cycle; absent while the schedule is stopped.</param>
/// <param name="LastCycle">The admin key's view only.</param>
/// <param name="Health">The service's: see <see cref="ServiceHealthRule"/>.</param>
/// <param name="Caller">Who asked: what the dashboard offers follows it (the schedule's controls are the admin's).</param>
public sealed record SyncStatusView(
    bool Enabled,
    string Schedule,
    DateTimeOffset? NextRunAt,
    CycleSummary? LastCycle,
    ConnectionCountsView Connections,
    IReadOnlyList<ActiveRunView> ActiveRuns,
    string Health,
    CallerView Caller);

/// <param name="Admin">The admin key (sees and controls everything); false for an organization key.</param>
/// <param name="OrganizationId">An organization key's organization.</param>
public sealed record CallerView(bool Admin, string? OrganizationId);

/// <param name="Health">Every connection counted once, by its health as <c>GET /api/connections</c> shows it.</param>
public sealed record ConnectionCountsView(int Total, int Enabled, int Disabled, int NeedsAttention, IReadOnlyDictionary<string, int> Health, LastRunCountsView LastRun);

public sealed record LastRunCountsView(int Never, int Succeeded, int Partial, int Failed, int Cancelled);

public sealed record ActiveRunView(string RunId, string ConnectionId, RunStatus Status, double PercentComplete);

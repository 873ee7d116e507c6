using FunctionsSync.Core.Api;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Connections;

/// <summary>A connection as the API shows it: never its credentials; its sync token to the admin and at registration only.</summary>
public sealed record ConnectionView
{
    public required string ConnectionId { get; init; }
    public required string OrganizationId { get; init; }
    public required string Marketplace { get; init; }
    public required string ExternalStoreId { get; init; }
    public required string Name { get; init; }
    /// <summary>The credential of <c>POST /api/orders/import</c>: shown once, in the answer that registered the connection.</summary>
    public string? SyncToken { get; init; }
    public bool Enabled { get; init; }
    public int Priority { get; init; }
    public int IntervalMinutes { get; init; }
    /// <summary>Computed on every read (<see cref="SyncHealthRule"/>): pending, running, on_time, delayed, error, action_required, disabled.</summary>
    public SyncHealth Health { get; init; }
    /// <summary>When the last successful (or partial) run ended.</summary>
    public DateTimeOffset? LastSyncAt { get; init; }
    public RunStatus? LastRunStatus { get; init; }
    public DateTimeOffset? LastRunFinishedAt { get; init; }
    public string? LastError { get; init; }
    /// <summary>Failed runs in a row (0 once a run succeeds); <c>failing</c> in <see cref="Flags"/> past the warning threshold.</summary>
    public int FailureStreak { get; init; }
    /// <summary>Operator flags: <c>failing</c>, <c>disabled_after_failures</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>Since when the connection misses its freshness objective (setting <c>freshnessObjectiveMinutes</c>); null while it meets it or has none.</summary>
    public DateTimeOffset? StaleSince { get; init; }
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> CredentialKeys { get; init; } = [];
    /// <summary>Where access tokens expire and are refreshed: their health (never the tokens themselves).</summary>
    public TokenHealthView? Tokens { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? ActiveRunId { get; init; }
    public RunView? LastRun { get; init; }
    public RecordCountsView? Records { get; init; }
    public IReadOnlyList<CursorView>? Cursors { get; init; }

    /// <param name="state">The connection's lease-row summary (null: never synced).</param>
    /// <param name="issuedSyncToken">The sync token just issued (registration); it is stored only as its hash, so no later view has it.</param>
    public static ConnectionView From(Connection c, string? issuedSyncToken, ConnectionSyncState? state, SyncHealthContext health) => new()
    {
        ConnectionId = c.Id,
        OrganizationId = c.OrganizationId,
        Marketplace = c.Marketplace,
        ExternalStoreId = c.ExternalStoreId,
        Name = c.Name,
        SyncToken = issuedSyncToken,
        Enabled = c.Enabled,
        Priority = c.Priority,
        IntervalMinutes = c.IntervalMinutes,
        Health = health.Of(c, state),
        ActiveRunId = state?.ActiveRunId,
        LastSyncAt = state?.LastSuccessAt,
        LastRunStatus = state?.LastRunStatus,
        LastRunFinishedAt = state?.LastRunFinishedAt,
        LastError = c.LastError,
        FailureStreak = c.ConsecutiveFailures,
        Flags = c.Flags,
        StaleSince = c.StaleSince,
        Settings = c.Settings,
        CredentialKeys = [.. c.Credentials.Keys.Where(k => !OAuthTokenState.ManagedKeys.Contains(k)).Order(StringComparer.Ordinal)],
        Tokens = OAuthTokenState.From(c) is { } tokens ? TokenHealthView.From(tokens, health.Now) : null,
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
    };
}

public sealed record RecordCountsView(long Orders, long Products, long Customers, long Prices);

public sealed record CursorView(string EntityType, DateTimeOffset? HighWaterMark, DateTimeOffset? LastSyncedAt, bool InRun);

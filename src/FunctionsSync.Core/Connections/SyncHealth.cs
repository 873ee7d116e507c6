namespace FunctionsSync.Core.Connections;

/// <summary>
/// How a connection is doing, as an operator reads it (wire names snake_case). Computed, never stored: see
/// <see cref="SyncHealthRule"/>.
/// </summary>
public enum SyncHealth
{
    /// <summary>Never synced: no run has ended yet.</summary>
    Pending,

    /// <summary>A run is queued, running or paused.</summary>
    Running,

    /// <summary>The last successful sync is at most one expected interval old.</summary>
    OnTime,

    /// <summary>No successful sync for more than one expected interval.</summary>
    Delayed,

    /// <summary>The last run failed, or no successful sync for more than two expected intervals.</summary>
    Error,

    /// <summary>The marketplace refused the credentials: a person must replace them (<c>needs_attention</c>).</summary>
    ActionRequired,

    /// <summary>Switched off by an operator (or by the failure policy).</summary>
    Disabled,
}

using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Scheduling;

/// <summary>
/// Which connections a scheduled cycle starts: enabled, not deleted, credentials not refused, no run in flight, and
/// their interval elapsed since their last run ended, or their own full-sync schedule passed an occurrence since then
/// (<see cref="FullDue"/>). Highest priority first, then the most stale.
/// </summary>
public static class DueSelector
{
    public static DueSelection Select(
        IEnumerable<Connection> connections,
        IReadOnlyDictionary<string, ConnectionSyncState> states,
        DateTimeOffset now,
        bool ignoreInterval = false)
    {
        var due = new List<(Connection Connection, DateTimeOffset Stale)>();
        int disabled = 0, attention = 0, active = 0, notDue = 0;
        var skipped = new List<SkippedConnection>();
        void Skip(Connection connection, SkipReason reason)
        {
            if (skipped.Count < DueSelection.MaxNamed)
            {
                skipped.Add(new SkippedConnection(connection.Id, connection.Name, reason));
            }
        }

        foreach (var connection in connections)
        {
            if (connection.DeletedAt is not null || !connection.Enabled)
            {
                disabled++;
                if (connection.DeletedAt is null)
                {
                    Skip(connection, SkipReason.Disabled);
                }

                continue;
            }

            if (connection.Health == ConnectionHealth.NeedsAttention)
            {
                attention++;
                Skip(connection, SkipReason.NeedsAttention);
                continue;
            }

            states.TryGetValue(connection.Id, out var state);
            if (state?.ActiveRunId is not null)
            {
                active++;
                Skip(connection, SkipReason.Active);
                continue;
            }

            var last = state?.LastRunFinishedAt ?? DateTimeOffset.MinValue;
            // A small tolerance so a connection on a 15-minute interval is due on each 15-minute tick.
            if (!ignoreInterval && last != DateTimeOffset.MinValue && now - last < TimeSpan.FromMinutes(connection.IntervalMinutes) - TimeSpan.FromSeconds(30)
                && !FullDue(connection, state, now))
            {
                notDue++;
                continue;
            }

            due.Add((connection, last));
        }

        var ordered = due
            .OrderByDescending(d => d.Connection.Priority)
            .ThenBy(d => d.Stale)
            .ThenBy(d => d.Connection.Id, StringComparer.Ordinal)
            .Select(d => d.Connection)
            .ToList();
        return new DueSelection(ordered, disabled, attention, active, notDue, skipped);
    }

    /// <summary>
    /// Whether the connection's own full-sync schedule (<see cref="CommonSettings.FullSyncCron"/>) had an occurrence
    /// since its last run ended (a connection never synced: at once): its next scheduled run is a full one.
    /// </summary>
    public static bool FullDue(Connection connection, ConnectionSyncState? state, DateTimeOffset now) =>
        CommonSettings.FullSyncCron.Of(connection) is { } cron
        && (state?.LastRunFinishedAt is not { } last || cron.NextAfter(last) <= now);

    /// <summary>Start delay of the <paramref name="index"/>th of <paramref name="count"/> jobs spread evenly over <paramref name="spread"/>.</summary>
    public static TimeSpan SpreadDelay(int index, int count, TimeSpan spread) =>
        count <= 1 || spread <= TimeSpan.Zero ? TimeSpan.Zero : spread * index / count;
}

using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Connections;

/// <summary>
/// The one health formula both hosts answer with, from the connection, its lease row's summary of the last run, and
/// the schedule. Decided in this order: disabled, action_required, running, pending, error (last run failed), then
/// by the age of the last successful sync against the expected interval: more than 2× error, more than 1× delayed,
/// else on_time.
/// </summary>
public static class SyncHealthRule
{
    public static SyncHealth Of(Connection connection, ConnectionSyncState? state, TimeSpan expectedInterval, DateTimeOffset now)
    {
        if (!connection.Enabled)
        {
            return SyncHealth.Disabled;
        }

        if (connection.Health == ConnectionHealth.NeedsAttention)
        {
            return SyncHealth.ActionRequired;
        }

        if (state?.ActiveRunId is not null)
        {
            return SyncHealth.Running;
        }

        if (state?.LastRunStatus is not { } last)
        {
            return SyncHealth.Pending;
        }

        if (last == RunStatus.Failed)
        {
            return SyncHealth.Error;
        }

        if (state.LastSuccessAt is not { } success)
        {
            // Only cancelled runs so far: nothing has been synced yet.
            return SyncHealth.Pending;
        }

        var age = now - success;
        return age > 2 * expectedInterval ? SyncHealth.Error : age > expectedInterval ? SyncHealth.Delayed : SyncHealth.OnTime;
    }

    /// <summary>
    /// How often a connection should sync: its own interval, or the schedule's period when the schedule fires less often
    /// (a connection cannot be synced more often than cycles run). A stopped schedule leaves the connection's interval.
    /// </summary>
    public static TimeSpan ExpectedInterval(Connection connection, ScheduleState schedule, DateTimeOffset now)
    {
        var own = TimeSpan.FromMinutes(Math.Max(1, connection.IntervalMinutes));
        if (!schedule.Enabled || !CronSchedule.TryParse(schedule.Cron, out var cron, out _))
        {
            return own;
        }

        var period = cron!.ApproximatePeriod(now);
        return period > own ? period : own;
    }

    public static bool TryParse(string? text, out SyncHealth health)
    {
        foreach (var value in Enum.GetValues<SyncHealth>())
        {
            if (string.Equals(WireName(value), text?.Trim(), StringComparison.Ordinal))
            {
                health = value;
                return true;
            }
        }

        health = default;
        return false;
    }

    public static string WireName(SyncHealth health) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(health.ToString());

    public static string WireNames => string.Join(", ", Enum.GetValues<SyncHealth>().Select(WireName));
}

namespace FunctionsSync.Core.Connections;

/// <summary>
/// The failure-streak rule: each failed run lengthens a connection's streak and a successful one ends it; at the
/// warning threshold the connection is flagged <c>failing</c>, at the disable threshold it is disabled and flagged
/// <c>disabled_after_failures</c>.
/// </summary>
public static class FailureStreak
{
    public const string FlagFailing = "failing";
    public const string FlagDisabled = "disabled_after_failures";

    /// <summary>The connection after a run's outcome, or null when that changes nothing.</summary>
    public static Connection? Apply(Connection current, ConnectionHealth health, string? error, bool failed, int warnAt, int disableAt, DateTimeOffset now)
    {
        var streak = failed ? current.ConsecutiveFailures + 1 : 0;
        var flags = current.Flags.Where(f => f is not (FlagFailing or FlagDisabled)).ToList();
        var enabled = current.Enabled;
        if (streak >= disableAt)
        {
            flags.Add(FlagDisabled);
            enabled = false;
        }
        else if (streak >= warnAt)
        {
            flags.Add(FlagFailing);
        }

        return current.Health == health && current.LastError == error && current.ConsecutiveFailures == streak && current.Enabled == enabled && flags.SequenceEqual(current.Flags)
            ? null
            : current with { Health = health, LastError = error, ConsecutiveFailures = streak, Flags = flags, Enabled = enabled, UpdatedAt = now };
    }
}

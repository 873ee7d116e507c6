namespace FunctionsSync.Core.Scheduling;

// The /api/sync routes' answers.

/// <param name="NextRunAt">After an interval change: the next cycle.</param>
public sealed record ScheduleView(bool Enabled, string Schedule, DateTimeOffset? NextRunAt = null);

/// <param name="Conflicts">Connections that already had an active run (nothing was queued for them).</param>
public sealed record TriggerAccepted(IReadOnlyList<TriggeredRun> Runs, IReadOnlyList<TriggerConflict> Conflicts);

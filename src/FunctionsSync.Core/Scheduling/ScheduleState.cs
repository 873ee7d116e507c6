namespace FunctionsSync.Core.Scheduling;

/// <summary>The persisted schedule, shared by every replica.</summary>
/// <param name="LastOccurrence">The cron occurrence the last cycle ran for (or when the schedule last changed).</param>
/// <param name="Version">Opaque concurrency token (the row's ETag).</param>
public sealed record ScheduleState(bool Enabled, string Cron, DateTimeOffset LastOccurrence, CycleSummary? LastCycle, string Version);

namespace FunctionsSync.Core.Scheduling;

/// <summary>
/// Decides, on every tick of any host (the self-hosted scheduler's loop, the Functions timer), whether the persisted
/// schedule has a cycle due, and claims it for this caller so no two replicas run the same occurrence.
/// </summary>
public sealed class ScheduleTicker(IScheduleStore schedule, TimeProvider time)
{
    /// <returns>The claimed occurrence, or null: disabled, nothing due, or another replica claimed it.</returns>
    public async Task<DateTimeOffset?> TryClaimDueCycleAsync(CancellationToken cancellationToken)
    {
        var state = await schedule.GetAsync(cancellationToken);
        if (!state.Enabled)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var cron = CronSchedule.Parse(state.Cron);
        var next = cron.NextAfter(state.LastOccurrence);
        if (next > now)
        {
            return null;
        }

        // Occurrences missed while nothing ran collapse into one cycle.
        var occurrence = next;
        for (var later = cron.NextAfter(occurrence); later <= now; later = cron.NextAfter(later))
        {
            occurrence = later;
        }

        return await schedule.TryClaimCycleAsync(state, occurrence, cancellationToken) ? occurrence : null;
    }

    public async Task<CronSchedule> CurrentCronAsync(CancellationToken cancellationToken) =>
        CronSchedule.Parse((await schedule.GetAsync(cancellationToken)).Cron);
}

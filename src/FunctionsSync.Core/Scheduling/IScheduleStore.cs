namespace FunctionsSync.Core.Scheduling;

public interface IScheduleStore
{
    /// <summary>The schedule, created with the defaults on first use.</summary>
    Task<ScheduleState> GetAsync(CancellationToken cancellationToken);

    /// <summary>Enables or disables; unconditional (last writer wins is right for an operator switch).</summary>
    Task<ScheduleState> SetEnabledAsync(bool enabled, CancellationToken cancellationToken);

    /// <summary>Changes the cron expression; the next cycle is the first occurrence after <paramref name="now"/>.</summary>
    Task<ScheduleState> SetCronAsync(string cron, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Claims the cycle of <paramref name="occurrence"/> for this replica; false when another replica did.</summary>
    Task<bool> TryClaimCycleAsync(ScheduleState seen, DateTimeOffset occurrence, CancellationToken cancellationToken);

    Task SaveCycleAsync(CycleSummary summary, CancellationToken cancellationToken);
}

using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Core.Connections;

/// <summary>Reads what <see cref="SyncHealthRule"/> needs besides each connection: the schedule (one row) and the time.</summary>
public sealed class SyncHealthReader(IScheduleStore schedule, TimeProvider time)
{
    public async Task<SyncHealthContext> ReadAsync(CancellationToken cancellationToken) =>
        new(await schedule.GetAsync(cancellationToken), time.GetUtcNow());
}

/// <summary>The schedule and the moment every connection of one answer is judged against.</summary>
public sealed record SyncHealthContext(ScheduleState Schedule, DateTimeOffset Now)
{
    public SyncHealth Of(Connection connection, ConnectionSyncState? state) =>
        SyncHealthRule.Of(connection, state, SyncHealthRule.ExpectedInterval(connection, Schedule, Now), Now);
}

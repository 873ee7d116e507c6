using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Storage.Scheduling;

/// <summary>The schedule as one row (<see cref="ScheduleRows"/>), so every replica sees the same switch and cron.</summary>
internal sealed class TableScheduleStore(TableProvider tables, IOptions<SchedulerOptions> options, TimeProvider time) : IScheduleStore
{
    /// <summary>A cycle's run ids stay out of the row above this many: a 10,000-connection cycle would not fit in a property.</summary>
    private const int MaxStoredRunIds = 200;

    public async Task<ScheduleState> GetAsync(CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        if (await table.GetAsync(ScheduleRows.Partition, ScheduleRows.Row, cancellationToken) is { } entity)
        {
            return ScheduleRows.StateOf(entity);
        }

        // Another replica may create it first; either way the row read next is the one that stands.
        await table.TryAddAsync(ScheduleRows.Fresh(options.Value.EnabledByDefault, options.Value.DefaultCron, time.GetUtcNow()), cancellationToken);
        return ScheduleRows.StateOf((await table.GetAsync(ScheduleRows.Partition, ScheduleRows.Row, cancellationToken))!);
    }

    public Task<ScheduleState> SetEnabledAsync(bool enabled, CancellationToken cancellationToken) =>
        MergeAsync(ScheduleRows.Enabled(enabled), cancellationToken);

    public Task<ScheduleState> SetCronAsync(string cron, DateTimeOffset now, CancellationToken cancellationToken) =>
        MergeAsync(ScheduleRows.Cron(cron, now), cancellationToken);

    public async Task<bool> TryClaimCycleAsync(ScheduleState seen, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ScheduleRows.Occurrence(occurrence), new ETag(seen.Version), TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.IsPreconditionFailed())
        {
            return false;
        }
    }

    public async Task SaveCycleAsync(CycleSummary summary, CancellationToken cancellationToken)
    {
        var stored = summary with { RunIds = summary.RunIds.Count <= MaxStoredRunIds ? summary.RunIds : [] };
        await MergeAsync(ScheduleRows.LastCycle(stored), cancellationToken);
    }

    private async Task<ScheduleState> MergeAsync(TableEntity change, CancellationToken cancellationToken)
    {
        await GetAsync(cancellationToken);
        var table = await Table(cancellationToken);
        await table.UpdateEntityAsync(change, ETag.All, TableUpdateMode.Merge, cancellationToken);
        return await GetAsync(cancellationToken);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Schedule, cancellationToken);
}

using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Storage.Scheduling;

/// <summary>
/// The schedule as one row (table <c>schedule</c>, partition <c>schedule</c>, row <c>state</c>: <c>Enabled</c>,
/// <c>Cron</c>, <c>LastOccurrence</c>, <c>LastCycle</c> as JSON), so every replica sees the same switch and cron.
/// </summary>
internal sealed class TableScheduleStore(TableProvider tables, IOptions<SchedulerOptions> options, TimeProvider time) : IScheduleStore
{
    private const string Partition = "schedule";
    private const string Row = "state";

    /// <summary>A cycle's run ids stay out of the row above this many: a 10,000-connection cycle would not fit in a property.</summary>
    private const int MaxStoredRunIds = 200;

    public async Task<ScheduleState> GetAsync(CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        if (await table.GetAsync(Partition, Row, cancellationToken) is { } entity)
        {
            return StateOf(entity);
        }

        var fresh = new TableEntity(Partition, Row)
        {
            ["Enabled"] = options.Value.EnabledByDefault,
            ["Cron"] = options.Value.DefaultCron,
            ["LastOccurrence"] = time.GetUtcNow(),
        };
        // Another replica may create it first; either way the row read next is the one that stands.
        await table.TryAddAsync(fresh, cancellationToken);
        return StateOf((await table.GetAsync(Partition, Row, cancellationToken))!);
    }

    public Task<ScheduleState> SetEnabledAsync(bool enabled, CancellationToken cancellationToken) =>
        MergeAsync(new TableEntity(Partition, Row) { ["Enabled"] = enabled }, cancellationToken);

    public Task<ScheduleState> SetCronAsync(string cron, DateTimeOffset now, CancellationToken cancellationToken) =>
        MergeAsync(new TableEntity(Partition, Row) { ["Cron"] = cron, ["LastOccurrence"] = now }, cancellationToken);

    public async Task<bool> TryClaimCycleAsync(ScheduleState seen, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(Partition, Row) { ["LastOccurrence"] = occurrence }, new ETag(seen.Version), TableUpdateMode.Merge, cancellationToken);
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
        await MergeAsync(new TableEntity(Partition, Row) { ["LastCycle"] = StorageJson.Serialize(stored) }, cancellationToken);
    }

    private async Task<ScheduleState> MergeAsync(TableEntity change, CancellationToken cancellationToken)
    {
        await GetAsync(cancellationToken);
        var table = await Table(cancellationToken);
        await table.UpdateEntityAsync(change, ETag.All, TableUpdateMode.Merge, cancellationToken);
        return await GetAsync(cancellationToken);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Schedule, cancellationToken);

    private static ScheduleState StateOf(TableEntity entity) => new(
        entity.GetBoolean("Enabled") ?? true,
        entity.GetString("Cron"),
        entity.GetDateTimeOffset("LastOccurrence") ?? DateTimeOffset.UnixEpoch,
        entity.GetString("LastCycle") is { Length: > 0 } cycle ? StorageJson.Deserialize<CycleSummary>(cycle) : null,
        entity.ETag.ToString());
}

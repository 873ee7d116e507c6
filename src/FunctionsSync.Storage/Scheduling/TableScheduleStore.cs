using FunctionsSync.Core.Scheduling;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.Options;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Scheduling;

/// <summary>The schedule as one row (table <c>schedule</c>), so every replica sees the same switch and cron.</summary>
public sealed class TableScheduleStore(TableProvider tables, IOptions<SchedulerOptions> options, TimeProvider time) : IScheduleStore
{
    private const string Partition = "schedule";
    private const string Row = "state";

    public async Task<ScheduleState> GetAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Schedule, cancellationToken);
        var entity = await ReadAsync(table, cancellationToken);
        if (entity is not null)
        {
            return StateOf(entity);
        }

        var fresh = new DynamicTableEntity(Partition, Row)
        {
            Properties =
            {
                ["Enabled"] = new EntityProperty(options.Value.EnabledByDefault),
                ["Cron"] = new EntityProperty(options.Value.DefaultCron),
                ["LastOccurrence"] = new EntityProperty(time.GetUtcNow()),
            },
        };
        try
        {
            await table.ExecuteAsync(TableOperation.Insert(fresh), null, null, cancellationToken);
        }
        catch (StorageException ex) when (ex.IsConflict())
        {
            // Another replica created it first.
        }

        return StateOf((await ReadAsync(table, cancellationToken))!);
    }

    public async Task<ScheduleState> SetEnabledAsync(bool enabled, CancellationToken cancellationToken)
    {
        await GetAsync(cancellationToken);
        var table = await tables.GetAsync(TableNames.Schedule, cancellationToken);
        var entity = new DynamicTableEntity(Partition, Row) { ETag = "*", Properties = { ["Enabled"] = new EntityProperty(enabled) } };
        await table.ExecuteAsync(TableOperation.Merge(entity), null, null, cancellationToken);
        return await GetAsync(cancellationToken);
    }

    public async Task<ScheduleState> SetCronAsync(string cron, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await GetAsync(cancellationToken);
        var table = await tables.GetAsync(TableNames.Schedule, cancellationToken);
        var entity = new DynamicTableEntity(Partition, Row)
        {
            ETag = "*",
            Properties = { ["Cron"] = new EntityProperty(cron), ["LastOccurrence"] = new EntityProperty(now) },
        };
        await table.ExecuteAsync(TableOperation.Merge(entity), null, null, cancellationToken);
        return await GetAsync(cancellationToken);
    }

    public async Task<bool> TryClaimCycleAsync(ScheduleState seen, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Schedule, cancellationToken);
        var entity = new DynamicTableEntity(Partition, Row)
        {
            ETag = seen.Version,
            Properties = { ["LastOccurrence"] = new EntityProperty(occurrence) },
        };
        try
        {
            await table.ExecuteAsync(TableOperation.Merge(entity), null, null, cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.IsPreconditionFailed())
        {
            return false;
        }
    }

    public async Task SaveCycleAsync(CycleSummary summary, CancellationToken cancellationToken)
    {
        await GetAsync(cancellationToken);
        var table = await tables.GetAsync(TableNames.Schedule, cancellationToken);
        // Run ids are left out of the row: a 10,000-connection cycle would not fit in a property.
        var stored = summary with { RunIds = summary.RunIds.Count <= 200 ? summary.RunIds : [] };
        var entity = new DynamicTableEntity(Partition, Row)
        {
            ETag = "*",
            Properties = { ["LastCycle"] = new EntityProperty(StorageJson.Serialize(stored)) },
        };
        await table.ExecuteAsync(TableOperation.Merge(entity), null, null, cancellationToken);
    }

    private static async Task<DynamicTableEntity?> ReadAsync(CloudTable table, CancellationToken cancellationToken) =>
        (await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(Partition, Row), null, null, cancellationToken)).Result as DynamicTableEntity;

    private static ScheduleState StateOf(DynamicTableEntity entity) => new(
        entity.Properties["Enabled"].BooleanValue ?? true,
        entity.Properties["Cron"].StringValue,
        entity.Properties["LastOccurrence"].DateTimeOffsetValue ?? DateTimeOffset.UnixEpoch,
        entity.Properties.TryGetValue("LastCycle", out var cycle) && !string.IsNullOrEmpty(cycle.StringValue) ? StorageJson.Deserialize<CycleSummary>(cycle.StringValue) : null,
        entity.ETag);
}

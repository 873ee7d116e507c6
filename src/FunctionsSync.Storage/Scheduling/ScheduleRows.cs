using Azure.Data.Tables;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Scheduling;

/// <summary>
/// The schedule's one row (table <c>schedule</c>, partition <c>schedule</c>, row <c>state</c>): <c>Enabled</c>,
/// <c>Cron</c>, <c>LastOccurrence</c>, and <c>LastCycle</c> as JSON; each change a merge of its own columns.
/// </summary>
internal static class ScheduleRows
{
    public const string Partition = "schedule";
    public const string Row = "state";

    public static TableEntity Fresh(bool enabled, string cron, DateTimeOffset now) =>
        new(Partition, Row) { ["Enabled"] = enabled, ["Cron"] = cron, ["LastOccurrence"] = now };

    public static TableEntity Enabled(bool enabled) => new(Partition, Row) { ["Enabled"] = enabled };

    public static TableEntity Cron(string cron, DateTimeOffset from) => new(Partition, Row) { ["Cron"] = cron, ["LastOccurrence"] = from };

    public static TableEntity Occurrence(DateTimeOffset occurrence) => new(Partition, Row) { ["LastOccurrence"] = occurrence };

    public static TableEntity LastCycle(CycleSummary summary) => new(Partition, Row) { ["LastCycle"] = StorageJson.Serialize(summary) };

    public static ScheduleState StateOf(TableEntity entity) => new(
        entity.GetBoolean("Enabled") ?? true,
        entity.GetString("Cron"),
        entity.GetDateTimeOffset("LastOccurrence") ?? DateTimeOffset.UnixEpoch,
        entity.GetString("LastCycle") is { Length: > 0 } cycle ? StorageJson.Deserialize<CycleSummary>(cycle) : null,
        entity.ETag.ToString());
}

using Azure.Data.Tables;
using FunctionsSync.Core.Runs;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// Row <c>run|{key}</c> of a connection's <c>syncstate</c> partition (keys sort newest first): the run as JSON, its
/// status, and the phase a running run last reported (merged in without a checkpoint).
/// </summary>
internal static class RunRow
{
    public const string Prefix = "run|";

    public static string Key(string runKey) => Prefix + runKey;

    public static TableEntity ToEntity(SyncRun run)
    {
        RunIds.TryParse(run.RunId, out var connectionId, out var runKey);
        return new TableEntity(LeaseRow.Partition(connectionId), Key(runKey))
        {
            ["Status"] = run.Status.ToString(),
            ["Json"] = StorageJson.Serialize(run),
        };
    }

    public static TableEntity PhaseOnly(string connectionId, string runKey, string phase) =>
        new(LeaseRow.Partition(connectionId), Key(runKey)) { ["Phase"] = phase };

    /// <summary>The run as last checkpointed, with the phase merged in since (when there is one).</summary>
    public static SyncRun FromEntity(TableEntity entity)
    {
        var run = StorageJson.Deserialize<SyncRun>(entity.GetString("Json"));
        return run.Status == RunStatus.Running && entity.GetString("Phase") is { Length: > 0 } phase ? run with { Phase = phase } : run;
    }
}

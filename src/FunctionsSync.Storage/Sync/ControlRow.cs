using Azure.Data.Tables;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Storage.Sync;

/// <summary>Row <c>control|{runKey}</c> of a connection's <c>syncstate</c> partition: an operator's pending request (pause, cancel, ...).</summary>
internal static class ControlRow
{
    public const string Prefix = "control|";

    public static TableEntity ToEntity(string connectionId, string runKey, RunControl? control) =>
        new(LeaseRow.Partition(connectionId), Prefix + runKey) { ["Request"] = control?.ToString() ?? "" };

    public static RunControl? FromEntity(TableEntity? entity) =>
        entity is not null && Enum.TryParse<RunControl>(entity.GetString("Request"), out var control) ? control : null;
}

using FunctionsSync.Core.Runs;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Core.Sync;

/// <summary>The sync engine's log lines, in one place (ids 1001–1019; 1018 is the cancel's, in RunCancellation), as durabletask-dotnet keeps its <c>Logs</c>.</summary>
internal static partial class SyncLogs
{
    [LoggerMessage(1001, LogLevel.Information, "Connection {ConnectionId} is leased by {Owner} until {Until}; backing off")]
    public static partial void LeaseHeld(this ILogger logger, string connectionId, string? owner, DateTimeOffset? until);

    [LoggerMessage(1002, LogLevel.Information, "Run {RunId} of {Store} (connection {ConnectionId}) started ({Mode}, attempt {Attempt})")]
    public static partial void RunStarted(this ILogger logger, string runId, string store, string connectionId, SyncMode mode, int attempt);

    [LoggerMessage(1003, LogLevel.Information, "Run {RunId} of {Store} finished {Status}: {Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} failed")]
    public static partial void RunFinished(this ILogger logger, string runId, string store, RunStatus status, long created, long updated, long unchanged, long failed);

    [LoggerMessage(1004, LogLevel.Warning, "Run {RunId} lost its lease on connection {ConnectionId}; stopping")]
    public static partial void LeaseLost(this ILogger logger, string runId, string connectionId);

    [LoggerMessage(1026, LogLevel.Information, "Backfill {RunId} stepped aside for run {MainRunId} of its connection; it goes on once that ends")]
    public static partial void BackfillYielded(this ILogger logger, string runId, string mainRunId);

    [LoggerMessage(1005, LogLevel.Information, "Run {RunId} interrupted after page {PageSeq}; it resumes on the next attempt")]
    public static partial void RunInterrupted(this ILogger logger, string runId, long pageSeq);

    [LoggerMessage(1006, LogLevel.Warning, "Run {RunId} of {Store} failed: {Error}")]
    public static partial void RunFailed(this ILogger logger, string runId, string store, string? error);

    [LoggerMessage(1007, LogLevel.Error, "Run {RunId} failed with an unexpected error")]
    public static partial void RunCrashed(this ILogger logger, Exception exception, string runId);

    [LoggerMessage(1008, LogLevel.Warning, "Could not write the final checkpoint of run {RunId}")]
    public static partial void CheckpointFailed(this ILogger logger, Exception exception, string runId);

    [LoggerMessage(1009, LogLevel.Warning, "Could not update connection {ConnectionId} after its run")]
    public static partial void ConnectionUpdateFailed(this ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(1010, LogLevel.Information, "Run {RunId} {What} on request")]
    public static partial void RunControlled(this ILogger logger, string runId, string what);

    [LoggerMessage(1011, LogLevel.Debug, "Run {RunId}: could not record its phase")]
    public static partial void PhaseFailed(this ILogger logger, Exception exception, string runId);

    [LoggerMessage(1012, LogLevel.Warning, "Outbox event {EventId} was written but not signalled; the sweeper delivers it")]
    public static partial void SignalFailed(this ILogger logger, Exception exception, string eventId);

    [LoggerMessage(1013, LogLevel.Warning, "Run {RunId}: could not record its connection-level conflict")]
    public static partial void ConflictFailed(this ILogger logger, Exception exception, string runId);

    [LoggerMessage(1014, LogLevel.Warning, "Run {RunId} stopped: storage is unreachable; it resumes from its last checkpoint on the next attempt")]
    public static partial void StorageUnavailable(this ILogger logger, Exception exception, string runId);

    [LoggerMessage(1015, LogLevel.Information, "Run {RunId}: {Percent}% ({Done} of about {Expected} records; {Throttled} rate-limit answers so far)")]
    public static partial void RunProgress(this ILogger logger, string runId, double percent, long done, long expected, long throttled);

    [LoggerMessage(1016, LogLevel.Warning, "Run {RunId} was throttled: {Throttled} rate-limit answers in {Requests} requests, {WaitMs} ms spent waiting on rate limits")]
    public static partial void RunThrottled(this ILogger logger, string runId, long throttled, long requests, long waitMs);

    [LoggerMessage(1017, LogLevel.Information, "Run {RunId} had already ended ({Status}) when its job was taken; not started")]
    public static partial void RunAlreadyEnded(this ILogger logger, string runId, RunStatus status);

    [LoggerMessage(1019, LogLevel.Debug, "Run {RunId} ended; its operator request could not be cleared (harmless: an ended run ignores it)")]
    public static partial void ControlNotCleared(this ILogger logger, Exception exception, string runId);

    [LoggerMessage(1020, LogLevel.Warning, "Run {RunId}: a feed ended short of the marketplace's count ({Shortfall}); its cursor stays, the next run reads it again")]
    public static partial void FeedShort(this ILogger logger, string runId, string shortfall);

    [LoggerMessage(1021, LogLevel.Information, "Run {RunId}: {Count} stored {EntityType} not listed by the full read were deleted at the marketplace; kept as tombstones")]
    public static partial void Tombstoned(this ILogger logger, string runId, long count, string entityType);

    [LoggerMessage(1022, LogLevel.Information, "Run {RunId}: {EntityType} not reconciled ({Why}); nothing is tombstoned")]
    public static partial void NotReconciled(this ILogger logger, string runId, string entityType, string why);

    [LoggerMessage(1023, LogLevel.Warning, "Run {RunId}: connection {ConnectionId} is now {State} against its freshness objective of {ObjectiveMinutes} min")]
    public static partial void FreshnessTurned(this ILogger logger, string runId, string connectionId, string state, int objectiveMinutes);

    [LoggerMessage(1024, LogLevel.Debug, "Run {RunId} ended unfinished; the ids its full read noted could not be dropped (harmless: nothing reads them)")]
    public static partial void ListedNotDropped(this ILogger logger, Exception exception, string runId);

    [LoggerMessage(1025, LogLevel.Warning, "Connection {ConnectionId}: the run that follows notifications received during the last one could not be queued; the schedule reads those changes")]
    public static partial void FollowUpFailed(this ILogger logger, Exception exception, string connectionId);

    /// <summary>How a log line names a connection's store for people: organization, marketplace, store id and name.</summary>
    public static string StoreName(Connections.Connection connection) =>
        $"{connection.OrganizationId}/{connection.Marketplace}/{connection.ExternalStoreId} \"{connection.Name}\"";
}

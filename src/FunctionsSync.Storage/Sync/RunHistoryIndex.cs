using Azure.Data.Tables;
using FunctionsSync.Core.Runs;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

/// <summary>
/// Ended runs across connections, newest first, as copies of their run rows in table <c>indexes</c>: partition
/// <c>runs|*</c> holds every organization's, <c>runs|org|{organization}</c> one organization's. Each ended run has two
/// rows in each: <c>*|{run key}|{connection}</c> and <c>{status}|{run key}|{connection}</c>, so the whole history and
/// the history of one status are each a key range (run keys are inverted start times, so both read newest first). The
/// copy is written after the run's own final write, best effort: a crash between the two leaves the run out of this
/// list (it stays in its connection's history). Retention deletes the copies with their runs, and copies older than its
/// cut-off whatever became of their connection.
/// </summary>
internal sealed class RunHistoryIndex(TableProvider tables)
{
    private const string AllStatuses = "*";

    /// <summary>Copies an ended run into both partitions (one two-row transaction each); failures are swallowed, see the class comment.</summary>
    public async Task TryWriteAsync(SyncRun run, CancellationToken cancellationToken)
    {
        if (!run.Status.IsFinal() || !RunIds.TryParse(run.RunId, out var connectionId, out var runKey))
        {
            return;
        }

        try
        {
            var table = await Table(cancellationToken);
            foreach (var partition in Partitions(run.OrganizationId))
            {
                await new TableBatch()
                    .UpsertReplace(Copy(run, partition, Key(AllStatuses, runKey, connectionId)))
                    .UpsertReplace(Copy(run, partition, Key(StatusKey(run.Status), runKey, connectionId)))
                    .SubmitAsync(table, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
        }
    }

    /// <summary>One page of ended runs of an organization (null: every organization), of one final status (null: any).</summary>
    /// <exception cref="FormatException"><paramref name="continuationToken"/> is not one this index handed out.</exception>
    public async Task<RunPage> ListAsync(string? organizationId, RunStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var prefix = (status is { } s ? StatusKey(s) : AllStatuses) + "|";
        var filter = TableQueries.PartitionPrefix(Partition(organizationId), prefix);
        var (items, token) = await table.ReadPageAsync(filter, pageSize, Continuation.Decode(continuationToken), RunRow.FromEntity, cancellationToken);
        return new RunPage(items, Continuation.Encode(token));
    }

    /// <summary>
    /// Deletes the copies of one run (any that are there). The row of <c>runs|*</c> that the age sweep finds goes last,
    /// so a pass cut short leaves the run findable for the next.
    /// </summary>
    public async Task RemoveAsync(string connectionId, string runKey, string organizationId, RunStatus status, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.DeleteIfExistsAsync(Partition(organizationId), Key(AllStatuses, runKey, connectionId), cancellationToken);
        await table.DeleteIfExistsAsync(Partition(organizationId), Key(StatusKey(status), runKey, connectionId), cancellationToken);
        await table.DeleteIfExistsAsync(Partition(null), Key(StatusKey(status), runKey, connectionId), cancellationToken);
        await table.DeleteIfExistsAsync(Partition(null), Key(AllStatuses, runKey, connectionId), cancellationToken);
    }

    /// <summary>
    /// Deletes the copies of up to <paramref name="take"/> runs that started before <paramref name="cutoff"/> (a key
    /// range of <c>runs|*</c>: its oldest rows); returns how many runs.
    /// </summary>
    public async Task<int> RemoveStartedBeforeAsync(DateTimeOffset cutoff, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var from = Key(AllStatuses, $"{DateTimeOffset.MaxValue.UtcTicks - cutoff.UtcTicks:D19}", "");
        var old = await table.ReadAllAsync(
            TableQueries.PartitionRange(Partition(null), from, TableQueries.After(AllStatuses + "|")),
            e => (e.RowKey, Organization: e.GetString("OrganizationId") ?? "", Status: Enum.TryParse<RunStatus>(e.GetString("Status"), out var s) ? s : RunStatus.Failed),
            cancellationToken, take, ["RowKey", "OrganizationId", "Status"]);
        foreach (var (rowKey, organization, status) in old)
        {
            var parts = rowKey.Split('|', 3);
            if (parts.Length == 3)
            {
                await RemoveAsync(TableKeys.Decode(parts[2]), parts[1], organization, status, cancellationToken);
            }
        }

        return old.Count;
    }

    private static TableEntity Copy(SyncRun run, string partition, string rowKey)
    {
        var entity = RunRow.ToEntity(run);
        entity.PartitionKey = partition;
        entity.RowKey = rowKey;
        entity["OrganizationId"] = run.OrganizationId;
        return entity;
    }

    private static IEnumerable<string> Partitions(string organizationId) => [Partition(null), Partition(organizationId)];

    private static string Partition(string? organizationId) => organizationId is null ? "runs|*" : "runs|org|" + TableKeys.Encode(organizationId);

    private static string Key(string status, string runKey, string connectionId) => $"{status}|{runKey}|{TableKeys.Encode(connectionId)}";

    private static string StatusKey(RunStatus status) => status.ToString().ToLowerInvariant();

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Indexes, cancellationToken);
}

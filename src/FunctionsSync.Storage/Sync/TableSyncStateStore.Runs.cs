using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Runs;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Sync;

/// <summary>The sync-state store's plain reads and writes of one run: its row, its history page, its operator request.</summary>
internal sealed partial class TableSyncStateStore
{
    public async Task<SyncRun?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out var runKey))
        {
            return null;
        }

        var table = await Table(cancellationToken);
        return await table.GetAsync(LeaseRow.Partition(connectionId), RunRow.Key(runKey), cancellationToken) is { } entity ? RunRow.FromEntity(entity) : null;
    }

    public async Task<IReadOnlyList<SyncRun>> ListRunsAsync(string connectionId, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await table.ReadAllAsync(TableQueries.PartitionPrefix(LeaseRow.Partition(connectionId), RunRow.Prefix), RunRow.FromEntity, cancellationToken, take);
    }

    public async Task<RunPage> ListRunsPageAsync(string connectionId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var filter = TableQueries.PartitionPrefix(LeaseRow.Partition(connectionId), RunRow.Prefix);
        var (items, token) = await table.ReadPageAsync(filter, pageSize, Continuation.Decode(continuationToken), RunRow.FromEntity, cancellationToken);
        return new RunPage(items, Continuation.Encode(token));
    }

    public Task<RunPage> ListEndedRunsAsync(string? organizationId, RunStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        history.ListAsync(organizationId, status, pageSize, continuationToken, cancellationToken);

    public async Task<RunControl?> GetControlAsync(string runId, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out var runKey))
        {
            return null;
        }

        var table = await Table(cancellationToken);
        return ControlRow.FromEntity(await table.GetAsync(LeaseRow.Partition(connectionId), ControlRow.Prefix + runKey, cancellationToken));
    }

    public async Task SetControlAsync(string runId, RunControl? control, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out var runKey))
        {
            return;
        }

        var table = await Table(cancellationToken);
        await table.UpsertEntityAsync(ControlRow.ToEntity(connectionId, runKey, control), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task SetPhaseAsync(string runId, string phase, CancellationToken cancellationToken)
    {
        if (!RunIds.TryParse(runId, out var connectionId, out var runKey))
        {
            return;
        }

        var table = await Table(cancellationToken);
        try
        {
            // A merge into the existing row only: a phase never creates a run.
            await table.UpdateEntityAsync(RunRow.PhaseOnly(connectionId, runKey, phase), ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.IsNotFound())
        {
        }
    }
}

using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// An entity-group transaction: one partition, at most 100 actions. Both limits are enforced here, before anything is
/// sent: Azurite accepts a two-partition transaction that Azure refuses, and answers a 101-action one with a reply
/// the SDK cannot parse.
/// </summary>
internal sealed class TableBatch
{
    public const int MaxActions = 100;

    private readonly List<TableTransactionAction> actions = [];

    public int Count => actions.Count;

    public string? PartitionKey { get; private set; }

    public TableBatch Add(ITableEntity entity) => Push(TableTransactionActionType.Add, entity, default);

    public TableBatch UpsertReplace(ITableEntity entity) => Push(TableTransactionActionType.UpsertReplace, entity, default);

    public TableBatch UpsertMerge(ITableEntity entity) => Push(TableTransactionActionType.UpsertMerge, entity, default);

    /// <summary>Replaces the row if it is at <paramref name="version"/>; any version when null.</summary>
    public TableBatch Replace(ITableEntity entity, string? version) => Push(TableTransactionActionType.UpdateReplace, entity, Version(version));

    /// <summary>Merges into the row if it is at <paramref name="version"/>; any version when null.</summary>
    public TableBatch Merge(ITableEntity entity, string? version) => Push(TableTransactionActionType.UpdateMerge, entity, Version(version));

    public TableBatch Delete(ITableEntity entity, string? version) => Push(TableTransactionActionType.Delete, entity, Version(version));

    /// <summary>Sends the transaction; returns the new version of each row, in the order the actions were added.</summary>
    /// <exception cref="RequestFailedException">The service refused it (a failed condition names its action in <see cref="TableErrors.FailedAction"/>).</exception>
    /// <exception cref="StorageUnavailableException">It could not be reached, or failed on the server, after the client's retries.</exception>
    public async Task<IReadOnlyList<string?>> SubmitAsync(TableClient table, CancellationToken cancellationToken)
    {
        if (actions.Count == 0)
        {
            return [];
        }

        // Unreachable storage surfaces as StorageUnavailableException from the client's pipeline (StorageFaultPolicy).
        var response = await table.SubmitTransactionAsync(actions, cancellationToken);
        return [.. response.Value.Select(r => r.Headers.ETag?.ToString())];
    }

    private TableBatch Push(TableTransactionActionType type, ITableEntity entity, ETag version)
    {
        if (actions.Count >= MaxActions)
        {
            throw new InvalidOperationException($"A table transaction holds at most {MaxActions} actions.");
        }

        if (PartitionKey is not null && PartitionKey != entity.PartitionKey)
        {
            throw new InvalidOperationException($"A table transaction spans one partition: '{PartitionKey}' and '{entity.PartitionKey}' were both named.");
        }

        PartitionKey = entity.PartitionKey;
        actions.Add(new TableTransactionAction(type, entity, version));
        return this;
    }

    private static ETag Version(string? version) => version is null ? ETag.All : new ETag(version);
}

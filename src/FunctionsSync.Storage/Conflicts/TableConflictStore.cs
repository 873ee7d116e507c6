using System.Collections.Concurrent;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;
using FunctionsSync.Storage.Webhooks;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Conflicts;

/// <summary>
/// Table <c>conflicts</c>: partition = connection, row = conflict id, the conflict as JSON plus the columns queries
/// filter on. The partition also holds the <c>conflict.created</c> outbox rows, written in the conflict's batch.
/// </summary>
public sealed class TableConflictStore(TableProvider tables) : IConflictStore
{
    private const string IdPrefix = "cf_";

    /// <summary>A conflict and its event are two operations; a batch holds 100.</summary>
    private const int PairsPerBatch = 50;

    public async Task<IReadOnlyDictionary<string, Conflict>> GetManyAsync(string connectionId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var found = new ConcurrentDictionary<string, Conflict>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(TableKeys.Encode(connectionId), id), null, null, ct);
            if (result.Result is DynamicTableEntity entity)
            {
                found[id] = FromEntity(entity);
            }
        });
        return found;
    }

    public async Task<Conflict?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!ConflictTypes.TryParseId(id, out var connectionId))
        {
            return null;
        }

        var found = await GetManyAsync(connectionId, [id], cancellationToken);
        return found.GetValueOrDefault(id);
    }

    public async Task SaveAsync(string connectionId, IReadOnlyList<(Conflict Conflict, OutboxEvent? Event)> changes, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = TableKeys.Encode(connectionId);
        foreach (var chunk in changes.Chunk(PairsPerBatch))
        {
            var batch = new TableBatchOperation();
            foreach (var (conflict, outboxEvent) in chunk)
            {
                var entity = ToEntity(partition, conflict);
                if (conflict.Version is null)
                {
                    batch.Insert(entity);
                }
                else
                {
                    entity.ETag = conflict.Version;
                    batch.Replace(entity);
                }

                if (outboxEvent is not null)
                {
                    batch.InsertOrReplace(OutboxRows.ToEntity(partition, outboxEvent));
                }
            }

            try
            {
                await table.ExecuteBatchAsync(batch, null, null, cancellationToken);
            }
            catch (StorageException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                throw new ConcurrencyException($"A conflict of connection {connectionId} changed since it was read.");
            }
        }
    }

    public async Task<ConflictPage> ListAsync(ConflictQuery query, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        // The partitions also hold the conflicts' outbox rows.
        var filter = TableQueries.RowKeyPrefix(IdPrefix);
        if (query.ConnectionId is not null)
        {
            filter = TableQuery.CombineFilters(filter, TableOperators.And, TableQueries.Partition(TableKeys.Encode(query.ConnectionId)));
        }

        if (query.OrganizationId is not null)
        {
            filter = TableQuery.CombineFilters(filter, TableOperators.And, TableQuery.GenerateFilterCondition("OrganizationId", QueryComparisons.Equal, query.OrganizationId));
        }

        if (query.Status is { } status)
        {
            filter = TableQuery.CombineFilters(filter, TableOperators.And, TableQuery.GenerateFilterCondition("Status", QueryComparisons.Equal, status.ToString()));
        }

        var tableQuery = new TableQuery<DynamicTableEntity>().Where(filter).Take(query.PageSize);
        var items = new List<Conflict>();
        var token = Continuation.Decode(query.ContinuationToken);
        // A segment may come back short (or empty) with a token; keep reading until the page is full or the table ends.
        do
        {
            var segment = await table.ExecuteQuerySegmentedAsync(tableQuery, token, null, null, cancellationToken);
            items.AddRange(segment.Results.Select(FromEntity));
            token = segment.ContinuationToken;
            if (items.Count < query.PageSize)
            {
                tableQuery.TakeCount = query.PageSize - items.Count;
            }
        }
        while (token is not null && items.Count < query.PageSize);

        return new ConflictPage(items, Continuation.Encode(token));
    }

    public async Task<IReadOnlyList<Conflict>> ListDueRetriesAsync(DateTimeOffset now, int take, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var filter = TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("Status", QueryComparisons.Equal, nameof(ConflictStatus.Retrying)),
            TableOperators.And,
            TableQuery.GenerateFilterConditionForDate("NextAttemptAt", QueryComparisons.LessThanOrEqual, now));
        return await table.ReadAllAsync(new TableQuery<DynamicTableEntity>().Where(filter).Take(take), FromEntity, cancellationToken);
    }

    private Task<CloudTable> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Conflicts, cancellationToken);

    private static DynamicTableEntity ToEntity(string partition, Conflict conflict)
    {
        var entity = new DynamicTableEntity(partition, conflict.Id)
        {
            Properties =
            {
                ["OrganizationId"] = new EntityProperty(conflict.OrganizationId),
                ["Status"] = new EntityProperty(conflict.Status.ToString()),
                ["Type"] = new EntityProperty(conflict.Type.ToString()),
                ["Json"] = new EntityProperty(StorageJson.Serialize(conflict)),
            },
        };
        if (conflict.NextAttemptAt is { } next)
        {
            entity.Properties["NextAttemptAt"] = new EntityProperty(next);
        }

        return entity;
    }

    private static Conflict FromEntity(DynamicTableEntity entity) =>
        StorageJson.Deserialize<Conflict>(entity.Properties["Json"].StringValue) with { Version = entity.ETag };
}

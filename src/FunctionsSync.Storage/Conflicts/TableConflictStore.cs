using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;
using FunctionsSync.Storage.Webhooks;

namespace FunctionsSync.Storage.Conflicts;

/// <summary>Conflicts (schema in <see cref="ConflictRows"/>); the automatic retries are found through a <see cref="DueIndex"/>.</summary>
internal sealed class TableConflictStore(TableProvider tables, OutboxIndex outboxIndex) : IConflictStore
{
    /// <summary>A conflict and its event are two actions; a transaction holds 100.</summary>
    private const int PairsPerBatch = TableBatch.MaxActions / 2;

    private readonly DueIndex due = new(tables, "conflicts");

    public async Task<IReadOnlyDictionary<string, Conflict>> GetManyAsync(string connectionId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var found = new ConcurrentDictionary<string, Conflict>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            if (await table.GetAsync(TableKeys.Encode(connectionId), id, ct) is { } entity)
            {
                found[id] = ConflictRows.FromEntity(entity);
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
            // Index entries first (see DueIndex, OutboxIndex): an entry without its row is dropped by its reader.
            foreach (var (conflict, _) in chunk.Where(c => c.Conflict is { Status: ConflictStatus.Retrying, NextAttemptAt: not null }))
            {
                await due.AddAsync(conflict.NextAttemptAt!.Value, conflict.Id, cancellationToken);
            }

            await outboxIndex.AddAsync(TableNames.Conflicts, partition, [.. chunk.Where(c => c.Event is not null).Select(c => c.Event!)], cancellationToken);

            var batch = new TableBatch();
            foreach (var (conflict, outboxEvent) in chunk)
            {
                var entity = ConflictRows.ToEntity(partition, conflict);
                if (conflict.Version is null)
                {
                    batch.Add(entity);
                }
                else
                {
                    batch.Replace(entity, conflict.Version);
                }

                if (outboxEvent is not null)
                {
                    batch.UpsertReplace(OutboxRows.ToEntity(partition, outboxEvent));
                }
            }

            try
            {
                await batch.SubmitAsync(table, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.IsStaleView())
            {
                throw new ConcurrencyException($"A conflict of connection {connectionId} changed since it was read.");
            }
        }
    }

    /// <summary>
    /// One connection's conflicts are a key range of its partition. Across connections (an organization's or the
    /// admin's listing) this filters the table on the organization and status columns.
    /// </summary>
    public async Task<ConflictPage> ListAsync(ConflictQuery query, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        // The partitions also hold the conflicts' outbox rows.
        var filter = query.ConnectionId is not null
            ? TableQueries.PartitionPrefix(TableKeys.Encode(query.ConnectionId), ConflictRows.IdPrefix)
            : TableClient.CreateQueryFilter($"RowKey ge {ConflictRows.IdPrefix} and RowKey lt {TableQueries.After(ConflictRows.IdPrefix)}");
        if (query.OrganizationId is not null)
        {
            filter += TableClient.CreateQueryFilter($" and OrganizationId eq {query.OrganizationId}");
        }

        if (query.Status is { } status)
        {
            filter += TableClient.CreateQueryFilter($" and Status eq {status.ToString()}");
        }

        var (items, token) = await table.ReadPageAsync(filter, query.PageSize, Continuation.Decode(query.ContinuationToken), ConflictRows.FromEntity, cancellationToken);
        return new ConflictPage(items, Continuation.Encode(token));
    }

    /// <summary>Due index entries up to now (a key range), each checked against its conflict (a point read).</summary>
    public async Task<IReadOnlyList<Conflict>> ListDueRetriesAsync(DateTimeOffset now, int take, CancellationToken cancellationToken)
    {
        var due = await this.due.ReadDueAsync(now, take, (id, ct) => GetAsync(id, ct), c => c.Status == ConflictStatus.Retrying ? c.NextAttemptAt : null, cancellationToken);
        return [.. due.Select(d => d.Item)];
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Conflicts, cancellationToken);
}

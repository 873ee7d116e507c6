using Azure.Data.Tables;
using FunctionsSync.Core.Connections;
using FunctionsSync.Storage.Secrets;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Connections;

/// <summary>
/// Connections (schema in <see cref="ConnectionRows"/>). Index rows are written before the connection row, so a crash
/// leaves at most an entry pointing at nothing (readers skip it), never a connection its index misses.
/// </summary>
internal sealed class TableConnectionStore(TableProvider tables, SecretCipher cipher, TimeProvider time) : IConnectionStore
{
    private const int ParallelReads = 16;

    public async Task<ConnectionRegistrationResult> RegisterAsync(ConnectionRegistration registration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var syncToken = ConnectionIds.NewSyncToken();
        var connection = new Connection
        {
            Id = ConnectionIds.For(registration.OrganizationId, registration.Marketplace, registration.ExternalStoreId),
            OrganizationId = registration.OrganizationId.Trim(),
            Marketplace = registration.Marketplace.Trim().ToLowerInvariant(),
            ExternalStoreId = registration.ExternalStoreId.Trim(),
            Name = registration.Name.Trim(),
            SyncTokenHash = ConnectionIds.HashSyncToken(syncToken),
            Credentials = registration.Credentials,
            Settings = registration.Settings ?? new Dictionary<string, string>(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var table = await Table(cancellationToken);
        if (await GetAsync(connection.Id, cancellationToken) is { } registered)
        {
            // Registered before: the first registration's id and token stand (the token is not shown again). Its index rows are written again
            // (idempotent), which also indexes a connection stored before the indexes existed.
            await WriteIndexRowsAsync(table, registered, cancellationToken);
            return new(registered, Created: false);
        }

        // Measured before anything is written: a connection that cannot be stored leaves no index row behind.
        var entity = ConnectionRows.ToEntity(connection, cipher);
        await WriteIndexRowsAsync(table, connection, cancellationToken);
        if (await table.TryAddAsync(entity, cancellationToken) is not null)
        {
            return new(connection, Created: true, syncToken);
        }

        // A concurrent registration won: its token stands, ours points at nothing.
        await table.DeleteIfExistsAsync(ConnectionRows.TokenPartition(connection.SyncTokenHash), ConnectionRows.TokenRow, cancellationToken);
        var existing = await GetAsync(connection.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Connection {connection.Id} conflicted but cannot be read.");
        return new(existing, Created: false);
    }

    public async Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await ReadRowAsync(table, connectionId, cancellationToken) is { } entity ? ConnectionRows.FromEntity(entity, cipher) : null;
    }

    /// <summary>
    /// The connection's row under its own row key, else under the one earlier releases shared (see <see cref="ConnectionRows"/>).
    /// Neither: its own once more, as a move (<see cref="TryMoveAsync"/>) between the two reads leaves it there, and
    /// nothing moves it back or deletes it; without that read a row moved meanwhile would look gone and its update be lost.
    /// </summary>
    private static async Task<TableEntity?> ReadRowAsync(TableClient table, string connectionId, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Encode(connectionId);
        var own = ConnectionRows.ConnectionRow(connectionId);
        return await table.GetAsync(partition, own, cancellationToken)
            ?? await table.GetAsync(partition, ConnectionRows.LegacyConnectionRow, cancellationToken)
            ?? await table.GetAsync(partition, own, cancellationToken);
    }

    /// <summary>Two point reads: the token's index row, then the connection it names (which must still carry the token).</summary>
    public async Task<Connection?> FindBySyncTokenAsync(string syncToken, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var hash = ConnectionIds.HashSyncToken(syncToken);
        if (await table.GetAsync(ConnectionRows.TokenPartition(hash), ConnectionRows.TokenRow, cancellationToken) is not { } entry
            || entry.GetString("ConnectionId") is not { } connectionId)
        {
            return null;
        }

        return await GetAsync(connectionId, cancellationToken) is { } connection && connection.SyncTokenHash == hash ? connection : null;
    }

    /// <summary>
    /// An organization's connections: a key-range read of its index partition, then a point read of each. Every
    /// connection (the planner, the admin): the connection rows of the table.
    /// </summary>
    public async Task<IReadOnlyList<Connection>> ListAsync(string? organizationId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        if (organizationId is null)
        {
            // A row being moved (Azurite applies a transaction's actions one by one) may show under both keys for a moment.
            return [.. (await table.ReadAllAsync(ConnectionRows.AllConnections, e => ConnectionRows.FromEntity(e, cipher), cancellationToken)).DistinctBy(c => c.Id)];
        }

        var ids = await table.ReadAllAsync(TableQueries.Partition(ConnectionRows.OrganizationPartition(organizationId)), e => TableKeys.Decode(e.RowKey), cancellationToken, select: ["RowKey"]);
        var found = new Connection?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, ct) => found[i] = await GetAsync(ids[i], ct));
        return [.. found.Where(c => c is not null && c.OrganizationId == organizationId).Select(c => c!)];
    }

    public async Task<ConnectionPage> ListPageAsync(string? organizationId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var filter = organizationId is null ? ConnectionRows.AllOrganizationEntries : TableQueries.Partition(ConnectionRows.OrganizationPartition(organizationId));
        var (ids, next) = await table.ReadPageAsync(filter, pageSize, Continuation.Decode(continuationToken), e => TableKeys.Decode(e.RowKey), cancellationToken);
        var found = new Connection?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, ct) => found[i] = await GetAsync(ids[i], ct));
        return new ConnectionPage([.. found.Where(c => c is not null && (organizationId is null || c.OrganizationId == organizationId)).Select(c => c!)], Continuation.Encode(next));
    }

    /// <summary>
    /// Rewrites every connection whose secrets are in plain text or under an older key with the current key, and moves
    /// each row still under the legacy row key to its own (a conditional write each, so a change racing it is
    /// re-applied, not lost). Idempotent: run again, it finds less.
    /// </summary>
    public async Task<int> RewrapAsync(CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var stale = await table.ReadAllAsync(ConnectionRows.AllConnections, e => ConnectionRows.NeedsRewrap(e, cipher) ? TableKeys.Decode(e.PartitionKey) : null, cancellationToken);
        var rewritten = 0;
        foreach (var id in stale.OfType<string>())
        {
            if (await UpdateAsync(id, c => c, cancellationToken) is not null)
            {
                rewritten++;
            }
        }

        return rewritten;
    }

    /// <summary>Read, change, conditional replace (If-Match); on a lost race, again from a fresh read.</summary>
    public async Task<Connection?> UpdateAsync(string connectionId, Func<Connection, Connection?> change, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        // Whether this attempt's read found the row under the legacy key (each attempt reads, then writes what it read).
        var readLegacy = false;
        return await ConditionalUpdate.ApplyAsync<Connection>(
            async ct =>
            {
                if (await ReadRowAsync(table, connectionId, ct) is not { } entity)
                {
                    return null;
                }

                readLegacy = entity.RowKey == ConnectionRows.LegacyConnectionRow;
                return (ConnectionRows.FromEntity(entity, cipher), entity.ETag.ToString());
            },
            change,
            async (current, changed, version, ct) =>
            {
                // Measured before anything is written (a change too large to store leaves no token entry behind).
                var entity = ConnectionRows.ToEntity(changed, cipher);
                // A rotated token's entry first (see the class comment); an unchanged token's entry is left as it is.
                var rotated = changed.SyncTokenHash != current.SyncTokenHash;
                if (rotated)
                {
                    await table.UpsertEntityAsync(ConnectionRows.TokenEntry(changed), TableUpdateMode.Replace, ct);
                }

                var written = readLegacy ? await TryMoveAsync(table, entity, version, ct) : await table.TryReplaceAsync(entity, version, ct) is not null;
                if (!written)
                {
                    return false;
                }

                if (rotated)
                {
                    // The old token's entry goes (it was refused already, naming a connection that no longer carries it).
                    await table.DeleteIfExistsAsync(ConnectionRows.TokenPartition(current.SyncTokenHash), ConnectionRows.TokenRow, ct);
                }

                return true;
            },
            $"Connection {connectionId}",
            time,
            cancellationToken);
    }

    /// <summary>
    /// A row read under the legacy row key is written under its own and the legacy one removed, in one transaction
    /// (one partition) that holds only if the legacy row is still at the version read. False when it is not (another
    /// writer moved it first): the update reads again.
    /// </summary>
    private static async Task<bool> TryMoveAsync(TableClient table, TableEntity entity, string legacyVersion, CancellationToken cancellationToken)
    {
        try
        {
            await new TableBatch()
                .Add(entity)
                .Delete(new TableEntity(entity.PartitionKey, ConnectionRows.LegacyConnectionRow), legacyVersion)
                .SubmitAsync(table, cancellationToken);
            return true;
        }
        catch (Azure.RequestFailedException ex) when (ex.IsStaleView())
        {
            return false;
        }
    }

    private static Task WriteIndexRowsAsync(TableClient table, Connection connection, CancellationToken cancellationToken) => Task.WhenAll(
        table.UpsertEntityAsync(ConnectionRows.OrganizationEntry(connection), TableUpdateMode.Replace, cancellationToken),
        table.UpsertEntityAsync(ConnectionRows.TokenEntry(connection), TableUpdateMode.Replace, cancellationToken),
        table.UpsertEntityAsync(ConnectionRows.StoreEntry(connection), TableUpdateMode.Replace, cancellationToken));

    public async Task<IReadOnlyList<Connection>> ListByStoreAsync(string marketplace, string externalStoreId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var ids = await table.ReadAllAsync(TableQueries.Partition(ConnectionRows.StorePartition(marketplace, externalStoreId)), e => TableKeys.Decode(e.RowKey), cancellationToken, select: ["RowKey"]);
        var found = await Task.WhenAll(ids.Select(id => GetAsync(id, cancellationToken)));
        return [.. found.OfType<Connection>().Where(c => c.DeletedAt is null)];
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Connections, cancellationToken);
}

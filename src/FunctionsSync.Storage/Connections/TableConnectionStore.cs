using FunctionsSync.Core.Connections;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Connections;

/// <summary>One row per connection (partition = connection id), the connection as JSON.</summary>
public sealed class TableConnectionStore(TableProvider tables, TimeProvider time) : IConnectionStore
{
    private const string RowKey = "connection";

    public async Task<ConnectionRegistrationResult> RegisterAsync(ConnectionRegistration registration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var connection = new Connection
        {
            Id = ConnectionIds.For(registration.OrganizationId, registration.Marketplace, registration.ExternalStoreId),
            OrganizationId = registration.OrganizationId.Trim(),
            Marketplace = registration.Marketplace.Trim().ToLowerInvariant(),
            ExternalStoreId = registration.ExternalStoreId.Trim(),
            Name = registration.Name.Trim(),
            SyncToken = ConnectionIds.NewSyncToken(),
            Credentials = registration.Credentials,
            Settings = registration.Settings ?? new Dictionary<string, string>(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var table = await tables.GetAsync(TableNames.Connections, cancellationToken);
        try
        {
            await table.ExecuteAsync(TableOperation.Insert(ToEntity(connection)), null, null, cancellationToken);
            return new(connection, Created: true);
        }
        catch (StorageException ex) when (ex.IsConflict())
        {
            // Registered before (or by a concurrent request): the first registration's id and token stand.
            var existing = await GetAsync(connection.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Connection {connection.Id} conflicted but cannot be read.");
            return new(existing, Created: false);
        }
    }

    public async Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Connections, cancellationToken);
        var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(TableKeys.Encode(connectionId), RowKey), null, null, cancellationToken);
        return result.Result is DynamicTableEntity entity ? FromEntity(entity) : null;
    }

    public async Task<Connection?> FindBySyncTokenAsync(string syncToken, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Connections, cancellationToken);
        var query = new TableQuery<DynamicTableEntity>().Where(TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.Equal, RowKey),
            TableOperators.And,
            TableQuery.GenerateFilterCondition("SyncToken", QueryComparisons.Equal, syncToken)));
        await foreach (var entity in table.ExecuteAllAsync(query, cancellationToken))
        {
            return FromEntity(entity);
        }

        // Rows written before the token had a column of its own get it, once per process; unknown tokens then cost
        // one query, however many arrive.
        if (!tokenColumnsBackfilled)
        {
            await foreach (var entity in table.ExecuteAllAsync(new TableQuery<DynamicTableEntity>().Where(TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.Equal, RowKey)), cancellationToken))
            {
                if (!entity.Properties.ContainsKey("SyncToken"))
                {
                    var connection = FromEntity(entity);
                    // A merge of the one column: a concurrent update of the connection is not undone.
                    var column = new DynamicTableEntity(entity.PartitionKey, entity.RowKey) { ETag = "*", Properties = { ["SyncToken"] = new EntityProperty(connection.SyncToken) } };
                    await table.ExecuteAsync(TableOperation.Merge(column), null, null, cancellationToken);
                    if (connection.SyncToken == syncToken)
                    {
                        return connection;
                    }
                }
            }

            tokenColumnsBackfilled = true;
        }

        return null;
    }

    private volatile bool tokenColumnsBackfilled;

    public async Task<IReadOnlyList<Connection>> ListAsync(string? organizationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Connections, cancellationToken);
        var filter = TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.Equal, RowKey);
        if (organizationId is not null)
        {
            filter = TableQuery.CombineFilters(filter, TableOperators.And, TableQuery.GenerateFilterCondition("OrganizationId", QueryComparisons.Equal, organizationId));
        }

        return await table.ReadAllAsync(new TableQuery<DynamicTableEntity>().Where(filter), FromEntity, cancellationToken);
    }

    public async Task UpdateAsync(Connection connection, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Connections, cancellationToken);
        await table.ExecuteAsync(TableOperation.InsertOrReplace(ToEntity(connection)), null, null, cancellationToken);
    }

    private static DynamicTableEntity ToEntity(Connection connection) => new(TableKeys.Encode(connection.Id), RowKey)
    {
        Properties =
        {
            ["OrganizationId"] = new EntityProperty(connection.OrganizationId),
            ["Marketplace"] = new EntityProperty(connection.Marketplace),
            ["SyncToken"] = new EntityProperty(connection.SyncToken),
            ["Json"] = new EntityProperty(StorageJson.Serialize(connection)),
        },
    };

    private static Connection FromEntity(DynamicTableEntity entity) => StorageJson.Deserialize<Connection>(entity.Properties["Json"].StringValue);
}

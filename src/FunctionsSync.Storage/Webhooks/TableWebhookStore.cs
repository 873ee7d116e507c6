using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>
/// Table <c>webhooks</c> (one row per endpoint) and table <c>webhookdeliveries</c> (partition = endpoint, row = event
/// id, so an event dispatched twice still makes one delivery per endpoint).
/// </summary>
public sealed class TableWebhookStore(TableProvider tables) : IWebhookStore
{
    private const string EndpointRow = "endpoint";

    public async Task CreateEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        await table.ExecuteAsync(TableOperation.Insert(ToEntity(endpoint)), null, null, cancellationToken);
    }

    public async Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(endpointId, EndpointRow), null, null, cancellationToken);
        return result.Result is DynamicTableEntity entity ? EndpointOf(entity) : null;
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string? organizationId, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        var query = new TableQuery<DynamicTableEntity>();
        if (organizationId is not null)
        {
            query = query.Where(TableQuery.GenerateFilterCondition("OrganizationId", QueryComparisons.Equal, organizationId));
        }

        return await table.ReadAllAsync(query, EndpointOf, cancellationToken);
    }

    public async Task UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        // A replace never inserts: an endpoint deleted meanwhile stays deleted.
        var table = await Endpoints(cancellationToken);
        await table.TryReplaceAsync(ToEntity(endpoint), null, cancellationToken);
    }

    public async Task<bool> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        try
        {
            await table.ExecuteAsync(TableOperation.Delete(new DynamicTableEntity(endpointId, EndpointRow) { ETag = "*" }), null, null, cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.IsNotFound())
        {
            return false;
        }
    }

    public async Task<WebhookDelivery> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        try
        {
            var result = await table.ExecuteAsync(TableOperation.Insert(ToEntity(delivery)), null, null, cancellationToken);
            return delivery with { Version = result.Etag };
        }
        catch (StorageException ex) when (ex.IsConflict())
        {
            return await GetDeliveryAsync(delivery.EndpointId, delivery.EventId, cancellationToken)
                ?? throw new InvalidOperationException($"Delivery {delivery.Id} conflicted but cannot be read.");
        }
    }

    public async Task<WebhookDelivery?> GetDeliveryAsync(string endpointId, string eventId, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        var result = await table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(endpointId, eventId), null, null, cancellationToken);
        return result.Result is DynamicTableEntity entity ? FromEntity(entity) : null;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, int take, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        var all = await table.ReadAllAsync(new TableQuery<DynamicTableEntity>().Where(TableQueries.Partition(endpointId)), FromEntity, cancellationToken);
        return [.. all.OrderByDescending(d => d.CreatedAt).Take(take)];
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListDueDeliveriesAsync(DateTimeOffset now, int take, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        var filter = TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("Status", QueryComparisons.Equal, nameof(DeliveryStatus.Pending)),
            TableOperators.And,
            TableQuery.GenerateFilterConditionForDate("NextAttemptAt", QueryComparisons.LessThanOrEqual, now));
        return await table.ReadAllAsync(new TableQuery<DynamicTableEntity>().Where(filter).Take(take), FromEntity, cancellationToken);
    }

    public async Task<WebhookDelivery?> TrySaveDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        return await table.TryReplaceAsync(ToEntity(delivery), delivery.Version, cancellationToken) is { } version ? delivery with { Version = version } : null;
    }

    private Task<CloudTable> Endpoints(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Webhooks, cancellationToken);

    private Task<CloudTable> Deliveries(CancellationToken cancellationToken) => tables.GetAsync(TableNames.WebhookDeliveries, cancellationToken);

    private static DynamicTableEntity ToEntity(WebhookEndpoint endpoint) => new(endpoint.Id, EndpointRow)
    {
        Properties =
        {
            ["OrganizationId"] = new EntityProperty(endpoint.OrganizationId),
            ["Json"] = new EntityProperty(StorageJson.Serialize(endpoint)),
        },
    };

    private static DynamicTableEntity ToEntity(WebhookDelivery delivery) => new(delivery.EndpointId, delivery.EventId)
    {
        Properties =
        {
            ["Status"] = new EntityProperty(delivery.Status.ToString()),
            ["NextAttemptAt"] = new EntityProperty(delivery.NextAttemptAt),
            ["Json"] = new EntityProperty(StorageJson.Serialize(delivery with { Version = null })),
        },
    };

    private static WebhookEndpoint EndpointOf(DynamicTableEntity entity) => StorageJson.Deserialize<WebhookEndpoint>(entity.Properties["Json"].StringValue);

    private static WebhookDelivery FromEntity(DynamicTableEntity entity) =>
        StorageJson.Deserialize<WebhookDelivery>(entity.Properties["Json"].StringValue) with { Version = entity.ETag };
}

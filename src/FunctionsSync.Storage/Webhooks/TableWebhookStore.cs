using Azure;
using Azure.Data.Tables;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Retention;
using FunctionsSync.Storage.Secrets;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>Endpoints and deliveries (schema in <see cref="WebhookRows"/>); pending deliveries are found through a <see cref="DueIndex"/>.</summary>
internal sealed class TableWebhookStore(TableProvider tables, SettledIndexes settled, SecretCipher cipher, TimeProvider time) : IWebhookStore
{
    private readonly DueIndex due = new(tables, "deliveries");

    public async Task CreateEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        await table.AddEntityAsync(WebhookRows.ToEntity(endpoint, cipher), cancellationToken);
    }

    public async Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        return await table.GetAsync(endpointId, WebhookRows.EndpointRow, cancellationToken) is { } entity ? WebhookRows.EndpointOf(entity, cipher) : null;
    }

    /// <summary>Reads the endpoints table (one row per endpoint: it grows with endpoints, not with deliveries).</summary>
    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string? organizationId, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        var filter = organizationId is null
            ? TableClient.CreateQueryFilter($"RowKey eq {WebhookRows.EndpointRow}")
            : TableClient.CreateQueryFilter($"RowKey eq {WebhookRows.EndpointRow} and OrganizationId eq {organizationId}");
        return await table.ReadAllAsync(filter, e => WebhookRows.EndpointOf(e, cipher), cancellationToken);
    }

    /// <summary>Rewrites every endpoint whose secrets are in plain text or under an older key (conditionally: a lost race was a newer write).</summary>
    public async Task<int> RewrapAsync(CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        var stale = await table.ReadAllAsync(TableClient.CreateQueryFilter($"RowKey eq {WebhookRows.EndpointRow}"), e => WebhookRows.NeedsRewrap(e, cipher) ? e : null, cancellationToken);
        var rewritten = 0;
        foreach (var entity in stale.OfType<TableEntity>())
        {
            if (await table.TryReplaceAsync(WebhookRows.ToEntity(WebhookRows.EndpointOf(entity, cipher), cipher), entity.ETag.ToString(), cancellationToken) is not null)
            {
                rewritten++;
            }
        }

        return rewritten;
    }

    public async Task<WebhookEndpoint?> UpdateEndpointAsync(string endpointId, Func<WebhookEndpoint, WebhookEndpoint?> change, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        return await ConditionalUpdate.ApplyAsync<WebhookEndpoint>(
            async ct => await table.GetAsync(endpointId, WebhookRows.EndpointRow, ct) is { } entity ? (WebhookRows.EndpointOf(entity, cipher), entity.ETag.ToString()) : null,
            change,
            // A conditional replace never inserts: an endpoint deleted meanwhile stays deleted.
            async (_, changed, version, ct) => await table.TryReplaceAsync(WebhookRows.ToEntity(changed, cipher), version, ct) is not null,
            $"Webhook endpoint {endpointId}",
            time,
            cancellationToken);
    }

    public async Task<bool> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        var table = await Endpoints(cancellationToken);
        try
        {
            await table.DeleteEntityAsync(endpointId, WebhookRows.EndpointRow, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.IsNotFound())
        {
            return false;
        }
    }

    public async Task<WebhookDelivery> AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        if (delivery.Status == DeliveryStatus.Pending)
        {
            await due.AddAsync(delivery.NextAttemptAt, WebhookRows.DueKey(delivery.EndpointId, delivery.EventId), cancellationToken);
        }

        try
        {
            var versions = await new TableBatch().Add(WebhookRows.ToEntity(delivery)).UpsertReplace(WebhookRows.ToLogEntity(delivery)).SubmitAsync(table, cancellationToken);
            return delivery with { Version = versions[0] };
        }
        catch (RequestFailedException ex) when (ex.IsConflict())
        {
            return await GetDeliveryAsync(delivery.EndpointId, delivery.EventId, cancellationToken)
                ?? throw new InvalidOperationException($"Delivery {delivery.Id} conflicted but cannot be read.");
        }
    }

    public async Task<WebhookDelivery?> GetDeliveryAsync(string endpointId, string eventId, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        return await table.GetAsync(endpointId, eventId, cancellationToken) is { } entity ? WebhookRows.FromEntity(entity) : null;
    }

    /// <summary>The first <paramref name="take"/> log rows of the endpoint's partition: newest first, one key range.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, int take, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        var logs = await table.ReadAllAsync(TableQueries.PartitionPrefix(endpointId, WebhookRows.LogPrefix), WebhookRows.FromEntity, cancellationToken, take);
        return [.. logs.Select(d => d with { Version = null })];
    }

    /// <summary>Due index entries up to now (a key range), each checked against its delivery (a point read).</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListDueDeliveriesAsync(DateTimeOffset now, int take, CancellationToken cancellationToken)
    {
        var due = await this.due.ReadDueAsync(now, take,
            (key, ct) => DueIndex.TrySplit(key, out var endpointId, out var eventId) ? GetDeliveryAsync(endpointId, eventId, ct) : Task.FromResult<WebhookDelivery?>(null),
            d => d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, cancellationToken);
        return [.. due.Select(d => d.Item)];
    }

    public async Task<WebhookDelivery?> TrySaveDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var table = await Deliveries(cancellationToken);
        if (delivery.Status == DeliveryStatus.Pending)
        {
            await due.AddAsync(delivery.NextAttemptAt, WebhookRows.DueKey(delivery.EndpointId, delivery.EventId), cancellationToken);
        }
        else if (SettledIndexes.SettledAt(delivery) is { } settledAt)
        {
            await settled.Deliveries.AddAsync(settledAt, WebhookRows.DueKey(delivery.EndpointId, delivery.EventId), cancellationToken);
        }

        try
        {
            var versions = await new TableBatch()
                .Replace(WebhookRows.ToEntity(delivery), delivery.Version)
                .UpsertReplace(WebhookRows.ToLogEntity(delivery))
                .SubmitAsync(table, cancellationToken);
            return delivery with { Version = versions[0] };
        }
        catch (RequestFailedException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
        {
            return null;
        }
    }

    private Task<TableClient> Endpoints(CancellationToken cancellationToken) => tables.GetAsync(TableNames.Webhooks, cancellationToken);

    private Task<TableClient> Deliveries(CancellationToken cancellationToken) => tables.GetAsync(TableNames.WebhookDeliveries, cancellationToken);
}

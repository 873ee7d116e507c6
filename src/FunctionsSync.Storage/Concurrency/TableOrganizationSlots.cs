using FunctionsSync.Core.Concurrency;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Concurrency;

/// <summary>Slot rows per organization (table <c>orgslots</c>, partition = organization, row = slot number).</summary>
public sealed class TableOrganizationSlots(TableProvider tables, TimeProvider time) : IOrganizationSlots
{
    public async Task<SlotLease?> TryTakeAsync(string organizationId, int capacity, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.OrganizationSlots, cancellationToken);
        var now = time.GetUtcNow();
        var existing = new Dictionary<int, DynamicTableEntity>();
        var query = new TableQuery<DynamicTableEntity>().Where(TableQueries.Partition(TableKeys.Encode(organizationId)));
        await foreach (var row in table.ExecuteAllAsync(query, cancellationToken))
        {
            existing[int.Parse(row.RowKey)] = row;
        }

        for (var slot = 0; slot < capacity; slot++)
        {
            var entity = SlotEntity(organizationId, slot, owner, now + duration);
            try
            {
                TableResult result;
                if (!existing.TryGetValue(slot, out var row))
                {
                    result = await table.ExecuteAsync(TableOperation.Insert(entity), null, null, cancellationToken);
                }
                else if (string.IsNullOrEmpty(row.Properties["Owner"].StringValue) || row.Properties["ExpiresAt"].DateTimeOffsetValue <= now)
                {
                    entity.ETag = row.ETag;
                    result = await table.ExecuteAsync(TableOperation.Replace(entity), null, null, cancellationToken);
                }
                else
                {
                    continue;
                }

                return new SlotLease(organizationId, slot, owner, now + duration, result.Etag);
            }
            catch (StorageException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                // Taken a moment ago by another worker; try the next slot.
            }
        }

        return null;
    }

    public async Task<SlotLease?> RenewAsync(SlotLease slot, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.OrganizationSlots, cancellationToken);
        var until = time.GetUtcNow() + duration;
        var entity = SlotEntity(slot.OrganizationId, slot.Slot, slot.Owner, until);
        entity.ETag = slot.ETag;
        try
        {
            var result = await table.ExecuteAsync(TableOperation.Replace(entity), null, null, cancellationToken);
            return slot with { ExpiresAt = until, ETag = result.Etag };
        }
        catch (StorageException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
        {
            return null;
        }
    }

    public async Task ReleaseAsync(SlotLease slot, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.OrganizationSlots, cancellationToken);
        var entity = SlotEntity(slot.OrganizationId, slot.Slot, "", time.GetUtcNow());
        entity.ETag = slot.ETag;
        try
        {
            await table.ExecuteAsync(TableOperation.Replace(entity), null, null, cancellationToken);
        }
        catch (StorageException ex) when (ex.IsPreconditionFailed() || ex.IsNotFound())
        {
            // Expired and taken by someone else already: nothing of ours to release.
        }
    }

    public async Task<int> CountBusyAsync(string organizationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.OrganizationSlots, cancellationToken);
        var now = time.GetUtcNow();
        var busy = 0;
        var query = new TableQuery<DynamicTableEntity>().Where(TableQueries.Partition(TableKeys.Encode(organizationId)));
        await foreach (var row in table.ExecuteAllAsync(query, cancellationToken))
        {
            if (!string.IsNullOrEmpty(row.Properties["Owner"].StringValue) && row.Properties["ExpiresAt"].DateTimeOffsetValue > now)
            {
                busy++;
            }
        }

        return busy;
    }

    private static DynamicTableEntity SlotEntity(string organizationId, int slot, string owner, DateTimeOffset expiresAt) =>
        new(TableKeys.Encode(organizationId), slot.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            Properties = { ["Owner"] = new EntityProperty(owner), ["ExpiresAt"] = new EntityProperty(expiresAt) },
        };
}

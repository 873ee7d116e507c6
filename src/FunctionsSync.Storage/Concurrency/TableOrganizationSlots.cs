using System.Globalization;
using Azure.Data.Tables;
using Azure;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Concurrency;

/// <summary>
/// Slot rows per organization (table <c>orgslots</c>, partition = organization, row = slot number, <c>Owner</c> and
/// <c>ExpiresAt</c>): taking a slot is an ETag-conditional write, so two workers never hold the same one.
/// </summary>
internal sealed class TableOrganizationSlots(TableProvider tables, TimeProvider time) : IOrganizationSlots
{
    public async Task<SlotLease?> TryTakeAsync(string organizationId, int capacity, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var now = time.GetUtcNow();
        var existing = (await ReadSlotsAsync(table, organizationId, cancellationToken)).ToDictionary(r => int.Parse(r.RowKey, CultureInfo.InvariantCulture));
        for (var slot = 0; slot < capacity; slot++)
        {
            var entity = SlotEntity(organizationId, slot, owner, now + duration);
            try
            {
                Response response;
                if (!existing.TryGetValue(slot, out var row))
                {
                    response = await table.AddEntityAsync(entity, cancellationToken);
                }
                else if (!Busy(row, now))
                {
                    response = await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    continue;
                }

                return new SlotLease(organizationId, slot, owner, now + duration, response.Headers.ETag.ToString()!);
            }
            catch (RequestFailedException ex) when (ex.IsConflict() || ex.IsPreconditionFailed())
            {
                // Taken a moment ago by another worker; try the next slot.
            }
        }

        return null;
    }

    public async Task<SlotLease?> RenewAsync(SlotLease slot, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var until = time.GetUtcNow() + duration;
        var version = await table.TryReplaceAsync(SlotEntity(slot.OrganizationId, slot.Slot, slot.Owner, until), slot.ETag, cancellationToken);
        return version is null ? null : slot with { ExpiresAt = until, ETag = version };
    }

    public async Task ReleaseAsync(SlotLease slot, CancellationToken cancellationToken)
    {
        // Expired and taken by someone else already: nothing of ours to release (the conditional write does nothing).
        var table = await Table(cancellationToken);
        await table.TryReplaceAsync(SlotEntity(slot.OrganizationId, slot.Slot, "", time.GetUtcNow()), slot.ETag, cancellationToken);
    }

    public async Task<int> CountBusyAsync(string organizationId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var now = time.GetUtcNow();
        return (await ReadSlotsAsync(table, organizationId, cancellationToken)).Count(r => Busy(r, now));
    }

    /// <summary>The organization's partition: as many rows as its cap.</summary>
    private static Task<List<TableEntity>> ReadSlotsAsync(TableClient table, string organizationId, CancellationToken cancellationToken) =>
        table.ReadAllAsync(TableQueries.Partition(TableKeys.Encode(organizationId)), e => e, cancellationToken);

    private static bool Busy(TableEntity row, DateTimeOffset now) => !string.IsNullOrEmpty(row.GetString("Owner")) && row.GetDateTimeOffset("ExpiresAt") > now;

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(TableNames.OrganizationSlots, cancellationToken);

    private static TableEntity SlotEntity(string organizationId, int slot, string owner, DateTimeOffset expiresAt) =>
        new(TableKeys.Encode(organizationId), slot.ToString(CultureInfo.InvariantCulture)) { ["Owner"] = owner, ["ExpiresAt"] = expiresAt };
}

using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Privacy;

/// <summary>
/// Shopify's <c>customers/redact</c> (contracts/shopify/docs/compliance-webhooks.md): the customer's personal data is
/// erased wherever this service holds it. Their customer record is deleted; the orders named lose their email and
/// customer link; every conflict about them drops the marketplace version it kept. The webhook payloads, activity
/// entries and run errors this service writes hold ids, never a record's fields, so nothing else carries the data.
/// An audit entry (ids and counts only) says what was done. Bounded: point reads and writes of the records and the
/// conflicts (whose ids are derived from the record) the request names.
/// </summary>
public sealed class CustomerRedaction(IRecordRedactor records, IConflictStore conflicts, IActivityLog activity, TimeProvider time)
{
    public const string Actor = "shopify:customers/redact";

    public async Task<RedactionSummary> RedactAsync(Connection connection, string customerId, IReadOnlyList<string> orderIds, CancellationToken cancellationToken)
    {
        var customerErased = await records.EraseAsync(connection.Id, EntityType.Customers, customerId, cancellationToken);
        var orders = 0;
        foreach (var orderId in orderIds.Distinct(StringComparer.Ordinal))
        {
            if (await records.RedactAsync(connection.Id, EntityType.Orders, orderId, RedactOrder, cancellationToken))
            {
                orders++;
            }
        }

        var subjects = orderIds.Select(id => (EntityType.Orders, id)).Append((EntityType.Customers, customerId));
        var ids = subjects.SelectMany(s => Enum.GetValues<ConflictType>().Select(type => ConflictTypes.IdFor(connection.Id, type, s.Item1, s.Item2))).ToList();
        var dropped = await ConflictSources.DropAsync(conflicts, connection.Id, (await conflicts.GetManyAsync(connection.Id, ids, cancellationToken)).Values, time.GetUtcNow(), cancellationToken);
        var summary = new RedactionSummary(customerErased, orders, dropped);
        await activity.AppendAsync(new ActivityEntry(connection.Id, time.GetUtcNow(), Actor, "customer.redacted", $"customers {customerId}",
            $"Erased: customer record {(customerErased ? "deleted" : "not stored")}, {orders} of {orderIds.Count} orders without email and customer, {dropped} conflict versions dropped."), cancellationToken);
        return summary;
    }

    private static CanonicalRecord RedactOrder(CanonicalRecord record) =>
        record is OrderRecord order ? order with { Email = null, CustomerExternalId = null } : record;
}

/// <param name="CustomerErased">Whether a customer record was stored (and is now deleted).</param>
/// <param name="OrdersRedacted">Orders named by the request that were stored, now without personal fields.</param>
/// <param name="ConflictVersionsDropped">Conflicts that kept a marketplace version of these records.</param>
public sealed record RedactionSummary(bool CustomerErased, int OrdersRedacted, int ConflictVersionsDropped);

using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Privacy;

/// <summary>
/// Shopify's <c>shop/redact</c> (contracts/shopify/docs/compliance-webhooks.md: "48 hours after a store owner uninstalls
/// your app … erase data for that store from your database"): every stored record of the connection is deleted (a
/// key-range read and batch deletes per bucket), every conflict drops the marketplace version it kept, and the connection
/// is disabled, so no run reads the shop again (its token is revoked with the uninstall anyway). What remains holds ids,
/// never a record's fields: run history, webhook payloads, activity. An audit entry (counts only) says what was done.
/// </summary>
public sealed class ShopRedaction(IRecordRedactor records, IConflictStore conflicts, IConnectionStore connections, IActivityLog activity, TimeProvider time)
{
    public const string Actor = "shopify:shop/redact";

    private const int ConflictPage = 100;

    public async Task<ShopRedactionSummary> RedactAsync(Connection connection, CancellationToken cancellationToken)
    {
        // Disabled first: a scheduled run must not write records back while they are being erased.
        await connections.UpdateAsync(connection.Id, c => c.Enabled ? c with { Enabled = false, UpdatedAt = time.GetUtcNow() } : null, cancellationToken);
        long erased = 0;
        foreach (var type in EntityTypes.All)
        {
            erased += await records.PurgeAsync(connection.Id, type, cancellationToken);
        }

        var dropped = 0;
        string? token = null;
        do
        {
            var page = await conflicts.ListAsync(new ConflictQuery(null, connection.Id, null, ConflictPage, token), cancellationToken);
            dropped += await ConflictSources.DropAsync(conflicts, connection.Id, page.Items, time.GetUtcNow(), cancellationToken);
            token = page.ContinuationToken;
        }
        while (token is not null);

        var summary = new ShopRedactionSummary(erased, dropped);
        await activity.AppendAsync(new ActivityEntry(connection.Id, time.GetUtcNow(), Actor, "shop.redacted", $"shop {connection.ExternalStoreId}",
            $"Erased: {erased} stored records deleted, {dropped} conflict versions dropped; the connection is disabled."), cancellationToken);
        return summary;
    }
}

/// <param name="RecordsErased">Stored records of the shop (every type, tombstones too) deleted.</param>
/// <param name="ConflictVersionsDropped">Conflicts that kept a marketplace version of one of its records.</param>
public sealed record ShopRedactionSummary(long RecordsErased, int ConflictVersionsDropped);

using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>Listings that read an index partition or a key range, never a table: paging, due items, waiting events, counts.</summary>
[Collection(QuietCollection.Name)]
public sealed class IndexedListingContractTests(AzuriteFixture storage)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Conflicts_page_through_short_pages_with_continuation_tokens_without_loss_or_repeat()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cpage"));
        var store = services.GetRequiredService<IConflictStore>();
        var conflicts = Enumerable.Range(0, 23).Select(i => NewConflict("cpage1", $"order-{i}")).ToList();
        await store.SaveAsync("cpage1", [.. conflicts.Select(c => (c, (OutboxEvent?)null))], CancellationToken.None);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(new ConflictQuery(null, "cpage1", null, 5, token), CancellationToken.None);
            Assert.True(page.Items.Count <= 5);
            seen.AddRange(page.Items.Select(c => c.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(conflicts.Select(c => c.Id).Order(), seen.Order());
        Assert.True(pages >= 5);
    }

    [Fact]
    public async Task A_conflict_saved_over_a_stale_version_is_a_concurrency_error_and_changes_nothing()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cconc"));
        var store = services.GetRequiredService<IConflictStore>();
        var conflict = NewConflict("cconc1", "order-1");
        await store.SaveAsync("cconc1", [(conflict, null)], CancellationToken.None);
        var read = (await store.GetAsync(conflict.Id, CancellationToken.None))!;
        await store.SaveAsync("cconc1", [(read with { Note = "first" }, null)], CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyException>(() => store.SaveAsync("cconc1", [(read with { Note = "second" }, null)], CancellationToken.None));
        Assert.Equal("first", (await store.GetAsync(conflict.Id, CancellationToken.None))!.Note);
    }

    [Fact]
    public async Task Due_retries_come_from_the_due_index_and_leave_it_once_they_are_no_longer_due()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cdue"));
        var store = services.GetRequiredService<IConflictStore>();
        var due = NewConflict("cdue1", "order-due") with { Status = ConflictStatus.Retrying, NextAttemptAt = Now.AddMinutes(-1) };
        var later = NewConflict("cdue1", "order-later") with { Status = ConflictStatus.Retrying, NextAttemptAt = Now.AddMinutes(10) };
        await store.SaveAsync("cdue1", [(due, null), (later, null)], CancellationToken.None);

        Assert.Equal([due.Id], (await store.ListDueRetriesAsync(Now, 100, CancellationToken.None)).Select(c => c.Id));
        var stored = (await store.GetAsync(due.Id, CancellationToken.None))!;
        await store.SaveAsync("cdue1", [(stored with { Status = ConflictStatus.Resolved, NextAttemptAt = null }, null)], CancellationToken.None);
        Assert.Empty(await store.ListDueRetriesAsync(Now, 100, CancellationToken.None));
        Assert.Equal([later.Id], (await store.ListDueRetriesAsync(Now.AddMinutes(11), 100, CancellationToken.None)).Select(c => c.Id));
    }

    [Fact]
    public async Task Due_deliveries_come_from_the_due_index_and_the_listing_is_newest_first()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cdel"));
        var store = services.GetRequiredService<IWebhookStore>();
        var deliveries = Enumerable.Range(0, 5).Select(i => new WebhookDelivery
        {
            EndpointId = "wh_contract", EventId = $"evt_{i:D2}", OrganizationId = "org", EventType = "sync.completed", Payload = "{}",
            CreatedAt = Now.AddMinutes(i), NextAttemptAt = Now.AddMinutes(i),
        }).ToList();
        foreach (var d in deliveries)
        {
            await store.AddDeliveryAsync(d, CancellationToken.None);
        }

        Assert.Equal(["evt_04", "evt_03", "evt_02"], (await store.ListDeliveriesAsync("wh_contract", 3, CancellationToken.None)).Select(d => d.EventId));
        Assert.Equal(["evt_00", "evt_01", "evt_02"], (await store.ListDueDeliveriesAsync(Now.AddMinutes(2), 100, CancellationToken.None)).Select(d => d.EventId));

        var first = (await store.GetDeliveryAsync("wh_contract", "evt_00", CancellationToken.None))!;
        Assert.NotNull(await store.TrySaveDeliveryAsync(first with { Status = DeliveryStatus.Delivered, DeliveredAt = Now }, CancellationToken.None));
        var second = (await store.GetDeliveryAsync("wh_contract", "evt_01", CancellationToken.None))!;
        Assert.NotNull(await store.TrySaveDeliveryAsync(second with { Attempts = 1, NextAttemptAt = Now.AddHours(1) }, CancellationToken.None));
        // A stale version is refused.
        Assert.Null(await store.TrySaveDeliveryAsync(second with { Attempts = 9 }, CancellationToken.None));

        Assert.Equal(["evt_02"], (await store.ListDueDeliveriesAsync(Now.AddMinutes(2), 100, CancellationToken.None)).Select(d => d.EventId));
        Assert.Equal(DeliveryStatus.Delivered, (await store.ListDeliveriesAsync("wh_contract", 10, CancellationToken.None)).Single(d => d.EventId == "evt_00").Status);
    }

    /// <summary>Two workers claiming one delivery at the same version at the same moment: exactly one claim wins, every time.</summary>
    [Fact]
    public async Task Concurrent_claims_of_one_delivery_version_let_exactly_one_win()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cclaim"));
        var store = services.GetRequiredService<IWebhookStore>();
        var doubleWins = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var created = await store.AddDeliveryAsync(new WebhookDelivery
            {
                EndpointId = "wh_claims", EventId = $"evt_{i:D3}", OrganizationId = "org", EventType = "sync.completed", Payload = "{}",
                CreatedAt = Now, NextAttemptAt = Now,
            }, CancellationToken.None);
            var read = (await store.GetDeliveryAsync("wh_claims", created.EventId, CancellationToken.None))!;
            var claims = await Task.WhenAll(
                Task.Run(() => store.TrySaveDeliveryAsync(read with { NextAttemptAt = Now.AddSeconds(30) }, CancellationToken.None)),
                Task.Run(() => store.TrySaveDeliveryAsync(read with { NextAttemptAt = Now.AddSeconds(31) }, CancellationToken.None)));
            if (claims.Count(c => c is not null) != 1)
            {
                doubleWins.Add($"{created.EventId}: {claims.Count(c => c is not null)} won");
            }
        }

        Assert.True(doubleWins.Count == 0, string.Join("; ", doubleWins));
    }

    [Fact]
    public async Task Waiting_outbox_events_are_found_through_their_index_and_leave_it_when_removed()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cout"));
        var store = services.GetRequiredService<IConflictStore>();
        var outbox = services.GetRequiredService<IOutbox>();
        var conflict = NewConflict("cout1", "order-1");
        var created = new OutboxEvent("evt_cout", WebhookEventTypes.ConflictCreated, "org", "cout1", Now, "{}");
        await store.SaveAsync("cout1", [(conflict, created)], CancellationToken.None);

        Assert.Empty(await outbox.ListWaitingAsync(Now, 100, CancellationToken.None));
        Assert.Equal(["evt_cout"], (await outbox.ListWaitingAsync(Now.AddSeconds(1), 100, CancellationToken.None)).Select(e => e.EventId));
        await outbox.RemoveAsync("cout1", "evt_cout", CancellationToken.None);
        Assert.Empty(await outbox.ListWaitingAsync(Now.AddDays(1), 100, CancellationToken.None));
        Assert.Null(await outbox.GetAsync("cout1", "evt_cout", CancellationToken.None));
    }

    [Fact]
    public async Task Receipt_counts_follow_racing_claims_and_status_changes_without_reading_the_receipts()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("crcpt"));
        var store = services.GetRequiredService<IReceiptStore>();
        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => store.ClaimAsync(new ReceiptImport
        {
            ConnectionId = "crcpt1", Receipt = $"receipt-{i % 10}", CreatedAt = Now, UpdatedAt = Now,
        }, CancellationToken.None)));
        Assert.Equal(10, claims.Count(c => c.Claimed));
        Assert.Equal(new ReceiptCounts(0, 0, 0, 10), await store.CountAsync("crcpt1", CancellationToken.None));

        var mine = claims.Where(c => c.Claimed).Select(c => c.Stored).ToList();
        await Task.WhenAll(mine.Take(6).Select(r => store.TrySaveAsync(r with { Status = ReceiptStatus.Success, UpdatedAt = Now.AddSeconds(1) }, CancellationToken.None)));
        await store.TrySaveAsync(mine[6] with { Status = ReceiptStatus.RateLimited, NextAttemptAt = Now.AddMinutes(5) }, CancellationToken.None);
        // A stale save changes neither the receipt nor the counts.
        Assert.Null(await store.TrySaveAsync(mine[0] with { Status = ReceiptStatus.Failed }, CancellationToken.None));

        Assert.Equal(new ReceiptCounts(6, 0, 1, 3), await store.CountAsync("crcpt1", CancellationToken.None));
        var due = await store.ListDueAsync(Now.AddMinutes(6), Now.AddMinutes(-1), 100, CancellationToken.None);
        Assert.Equal([mine[6].Receipt], due.Select(r => r.Receipt));
    }

    private static Conflict NewConflict(string connectionId, string externalId) => new()
    {
        Id = ConflictTypes.IdFor(connectionId, ConflictType.DataMismatch, Core.Records.EntityType.Orders, externalId),
        ConnectionId = connectionId,
        OrganizationId = "org-contract",
        Type = ConflictType.DataMismatch,
        EntityType = Core.Records.EntityType.Orders,
        ExternalId = externalId,
        Message = "changed on both sides",
        RunId = "run",
        DetectedAt = Now,
        UpdatedAt = Now,
    };
}

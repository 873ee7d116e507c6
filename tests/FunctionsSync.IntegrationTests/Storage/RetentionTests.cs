using Azure.Data.Tables;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Retention;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Storage.Sync;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>The retention pass: the newest runs kept, the active run and the connection's state untouched, old settled items gone.</summary>
[Collection(QuietCollection.Name)]
public sealed class RetentionTests(AzuriteFixture storage)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_pass_keeps_the_newest_runs_and_the_active_run_and_leaves_status_and_cursors_as_they_were()
    {
        var clock = new FakeTimeProvider(Start);
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("retain"),
            new Dictionary<string, string?> { ["Retention:RunsPerConnection"] = "200", ["Retention:ConnectionsPerPass"] = "10" },
            s => s.AddSingleton<TimeProvider>(clock));
        var state = services.GetRequiredService<ISyncStateStore>();
        const string connectionId = "retain1";

        // An old run still queued (a job waiting out a backlog) is the active run; then 230 finished runs after it.
        var active = Run(connectionId, Start.AddHours(-300), RunStatus.Queued);
        Assert.True((await state.TryQueueRunAsync(active, null, null, CancellationToken.None)).Queued);
        var table = await services.GetRequiredService<TableProvider>().GetAsync(TableNames.SyncState, CancellationToken.None);
        var finished = Enumerable.Range(0, 230).Select(i => Run(connectionId, Start.AddHours(-230 + i), RunStatus.Succeeded)).ToList();
        foreach (var chunk in finished.Chunk(100))
        {
            var batch = new TableBatch();
            foreach (var run in chunk)
            {
                batch.UpsertReplace(RunRow.ToEntity(run));
            }

            await batch.SubmitAsync(table, CancellationToken.None);
        }

        var lease = (await state.TryAcquireLeaseAsync(connectionId, SyncLane.Main, "runner", TimeSpan.FromMinutes(1), CancellationToken.None)).Lease!;
        var cursor = new EntityCursor { EntityType = EntityType.Orders, HighWaterMark = Start.AddHours(-1), StoredRecords = 1234 };
        await state.CheckpointAsync(lease, new Checkpoint(active with { Status = RunStatus.Running }, [cursor], Start.AddMinutes(1), Release: true, active.RunId), CancellationToken.None);
        var stateBefore = await state.GetConnectionStateAsync(connectionId, CancellationToken.None);
        var cursorsBefore = await state.GetCursorsAsync(connectionId, SyncLane.Main, CancellationToken.None);

        var result = await services.GetRequiredService<IRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(30, result.RunsDeleted);
        var kept = await state.ListRunsAsync(connectionId, 1_000, CancellationToken.None);
        Assert.Equal(201, kept.Count);
        Assert.Equal(finished.OrderByDescending(r => r.CreatedAt).Take(200).Select(r => r.RunId).Append(active.RunId), kept.Select(r => r.RunId));
        Assert.Equal(RunStatus.Running, (await state.GetRunAsync(active.RunId, CancellationToken.None))!.Status);
        Assert.Equal(stateBefore, await state.GetConnectionStateAsync(connectionId, CancellationToken.None));
        Assert.Equal(cursorsBefore, await state.GetCursorsAsync(connectionId, SyncLane.Main, CancellationToken.None));

        // Nothing more to do: a second pass deletes nothing.
        Assert.Equal(0, (await services.GetRequiredService<IRetention>().RunOnceAsync(CancellationToken.None)).RunsDeleted);
    }

    [Fact]
    public async Task Runs_activity_receipts_and_deliveries_older_than_the_maximum_age_go_and_younger_ones_stay()
    {
        var clock = new FakeTimeProvider(Start);
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("retage"),
            new Dictionary<string, string?> { ["Retention:MaxAge"] = "30.00:00:00" },
            s => s.AddSingleton<TimeProvider>(clock));
        var state = services.GetRequiredService<ISyncStateStore>();
        const string connectionId = "retage1";
        foreach (var at in new[] { Start.AddDays(-1), Start })
        {
            var run = Run(connectionId, at, RunStatus.Queued);
            Assert.True((await state.TryQueueRunAsync(run, null, null, CancellationToken.None)).Queued);
            Assert.NotNull(await state.ChangeUnheldRunAsync(run.RunId, r => r with { Status = RunStatus.Cancelled, FinishedAt = at, UpdatedAt = at }, at, CancellationToken.None));
        }

        var activity = services.GetRequiredService<IActivityLog>();
        await activity.AppendAsync(new ActivityEntry(connectionId, Start.AddDays(-1), "admin", "note", "old", null), CancellationToken.None);
        var receipts = services.GetRequiredService<IReceiptStore>();
        var (claimed, _) = await receipts.ClaimAsync(new ReceiptImport { ConnectionId = connectionId, Receipt = "r-old", CreatedAt = Start, UpdatedAt = Start }, CancellationToken.None);
        await receipts.TrySaveAsync(claimed with { Status = ReceiptStatus.Success, UpdatedAt = Start }, CancellationToken.None);
        var webhooks = services.GetRequiredService<IWebhookStore>();
        var delivery = await webhooks.AddDeliveryAsync(new WebhookDelivery
        {
            EndpointId = "wh_retage", EventId = "evt_old", OrganizationId = "org", EventType = "sync.completed", Payload = "{}", CreatedAt = Start, NextAttemptAt = Start,
        }, CancellationToken.None);
        await webhooks.TrySaveDeliveryAsync(delivery with { Status = DeliveryStatus.Delivered, DeliveredAt = Start }, CancellationToken.None);
        var pending = await webhooks.AddDeliveryAsync(new WebhookDelivery
        {
            EndpointId = "wh_retage", EventId = "evt_pending", OrganizationId = "org", EventType = "sync.completed", Payload = "{}", CreatedAt = Start, NextAttemptAt = Start.AddYears(1),
        }, CancellationToken.None);

        // 29.5 days on: the run of day -1 is older than 30 days; the receipt and delivery (day 0) are not yet.
        clock.Advance(TimeSpan.FromDays(29.5));
        var first = await services.GetRequiredService<IRetention>().RunOnceAsync(CancellationToken.None);
        Assert.Equal((1, 1, 0, 0), (first.RunsDeleted, first.ActivityDeleted, first.ReceiptsDeleted, first.DeliveriesDeleted));
        Assert.Single(await state.ListRunsAsync(connectionId, 10, CancellationToken.None));

        clock.Advance(TimeSpan.FromDays(1));
        var second = await services.GetRequiredService<IRetention>().RunOnceAsync(CancellationToken.None);
        Assert.Equal((1, 1), (second.ReceiptsDeleted, second.DeliveriesDeleted));
        Assert.Null(await webhooks.GetDeliveryAsync("wh_retage", "evt_old", CancellationToken.None));
        Assert.Equal(["evt_pending"], (await webhooks.ListDeliveriesAsync("wh_retage", 10, CancellationToken.None)).Select(d => d.EventId));
        Assert.NotNull(await webhooks.GetDeliveryAsync("wh_retage", pending.EventId, CancellationToken.None));
        // The counts are lifetime totals: ageing out a receipt does not make it unimported.
        Assert.Equal(1, (await receipts.CountAsync(connectionId, CancellationToken.None)).Success);
        Assert.Empty(await activity.ListAsync(connectionId, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Tombstones_older_than_their_retention_are_deleted_and_a_record_listed_again_stays()
    {
        var clock = new FakeTimeProvider(Start);
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("tombret"),
            new Dictionary<string, string?> { ["Retention:TombstoneMaxAge"] = "2.00:00:00" }, s => s.AddSingleton<TimeProvider>(clock));
        const string connectionId = "tombret1";
        var ingestion = services.GetRequiredService<Core.Ingestion.IIngestionDispatcher>();
        var reconciliation = services.GetRequiredService<Core.Deletions.IRecordReconciliation>();
        var records = services.GetRequiredService<Core.Ingestion.IRecordQuery>();
        var orders = Enumerable.Range(0, 30)
            .Select(i => new OrderRecord { ExternalId = $"o|{i}", UpdatedAt = Start.AddDays(-10).AddMinutes(i), Status = "paid", Currency = "EUR", Total = i })
            .ToList<CanonicalRecord>();
        Assert.Equal(30, (await ingestion.IngestAsync(new Core.Ingestion.IngestContext(connectionId, "run-1", 1, EntityType.Orders, SyncMode.Full), orders, CancellationToken.None)).Created);
        var feed = (string run) => new Core.Deletions.ReconcileFeed(run, connectionId, "org-tombret", MarketplaceNames.WooCommerce, EntityType.Orders, clock.GetUtcNow());

        // Ten deleted three days ago, five more today; one of the old ones is listed again (live) before the pass.
        Assert.Equal(10, (await reconciliation.TombstoneAsync(feed("run-2"), [.. Enumerable.Range(0, 10).Select(i => $"o|{i}")], CancellationToken.None)).Count);
        clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(5, (await reconciliation.TombstoneAsync(feed("run-3"), [.. Enumerable.Range(10, 5).Select(i => $"o|{i}")], CancellationToken.None)).Count);
        var back = orders[0] with { UpdatedAt = Start.AddDays(1) };
        Assert.Equal(1, (await ingestion.IngestAsync(new Core.Ingestion.IngestContext(connectionId, "run-4", 1, EntityType.Orders, SyncMode.Incremental), [back], CancellationToken.None)).Created);

        var result = await services.GetRequiredService<IRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(9, result.TombstonesDeleted);
        var left = new Dictionary<string, bool>();
        await foreach (var row in records.ListAsync(connectionId, EntityType.Orders, CancellationToken.None))
        {
            left[row.Record.ExternalId] = row.State.Deleted;
        }

        // The nine old tombstones are gone; the five recent ones and the record listed again stay, as do the live ones.
        Assert.Equal(30 - 9, left.Count);
        Assert.Equal(Enumerable.Range(10, 5).Select(i => $"o|{i}").Order(), left.Where(r => r.Value).Select(r => r.Key).Order());
        Assert.False(left["o|0"]);
        Assert.Equal(0, (await services.GetRequiredService<IRetention>().RunOnceAsync(CancellationToken.None)).TombstonesDeleted);
    }

    private static SyncRun Run(string connectionId, DateTimeOffset at, RunStatus status) => TestRuns.New(connectionId, at, status, RunTrigger.Schedule);
}

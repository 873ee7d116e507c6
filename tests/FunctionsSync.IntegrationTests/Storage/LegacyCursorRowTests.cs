using Azure.Data.Tables;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Sync;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>
/// Cursors as earlier releases kept them, one row <c>cursor|{type}</c> each beside a lease row without the
/// <c>Cursors</c> column: they still read, an incremental run goes on from them, and the first lease taken (or cursor
/// reset) moves them onto the lease row and deletes the rows, in one transaction.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class LegacyCursorRowTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task An_incremental_run_goes_on_from_cursor_rows_of_an_earlier_release_and_moves_them_onto_the_lease_row()
    {
        await using var harness = new SyncHarness(storage, simulator, "legacycur");
        var (connection, store) = await harness.AddStoreAsync("woocommerce", "legacy-cursors", new SimStoreConfig { Orders = 600, Products = 120, Customers = 80, Seed = 71 });
        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, full.Run!.Status);
        var before = await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None);
        Assert.NotEmpty(before);
        var table = await harness.Services.GetRequiredService<TableProvider>().GetAsync(TableNames.SyncState, CancellationToken.None);
        await MakeLegacyAsync(table, connection.Id, before);
        // A backfill's cursor of that release too: its lane is not taken here, so it stays a row and still reads.
        var backfill = new EntityCursor { EntityType = EntityType.Orders, HighWaterMark = DateTimeOffset.UnixEpoch.AddYears(50), StoredRecords = 7 };
        await table.UpsertEntityAsync(CursorRow.ToEntity(connection.Id, backfill, SyncLane.Backfill));
        await table.UpsertEntityAsync(new LeaseRow(connection.Id, SyncLane.Backfill) { Owner = "", ExpiresAt = DateTimeOffset.UnixEpoch, ActiveRunId = "" }.ToEntity());

        Assert.Equal(Json(before), Json(await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None)));
        Assert.Equal(600, (await harness.Records.CountAsync(connection.Id, CancellationToken.None))[EntityType.Orders]);

        // 37 orders change. The run goes on from the legacy cursors: a cursor it did not find would start again from
        // nothing, and its stored-record count (what the counts below read) with it.
        store.Mutate(SimKind.Orders, 37, DateTimeOffset.UtcNow.AddMinutes(-5));
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        var orders = incremental.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal(37, orders.Updated);
        Assert.Equal(0, orders.Created);

        // Moved: the lease row holds every type's cursor, the main lane's rows are gone, the backfill's stays.
        var partition = LeaseRow.Partition(connection.Id);
        var rowKeys = await table.ReadAllAsync(TableQueries.Partition(partition), e => e.RowKey, CancellationToken.None, select: ["RowKey"]);
        Assert.DoesNotContain(rowKeys, k => k.StartsWith(CursorRow.Prefix, StringComparison.Ordinal));
        Assert.Contains(CursorRow.PrefixOf(SyncLane.Backfill) + "orders", rowKeys);
        var lease = (await table.GetEntityAsync<TableEntity>(partition, LeaseRow.KeyOf(SyncLane.Main))).Value;
        var after = LeaseCursors.Read(lease)!;
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.True(after[EntityType.Orders].HighWaterMark > before[EntityType.Orders].HighWaterMark);
        Assert.All(before, b => Assert.Equal(b.Value.StoredRecords, after[b.Key].StoredRecords));
        Assert.Equal(Json(after), Json(await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None)));
        Assert.Equal(7, (await harness.State.GetCursorsAsync(connection.Id, SyncLane.Backfill, CancellationToken.None))[EntityType.Orders].StoredRecords);
        Assert.Equal(600, (await harness.Records.CountAsync(connection.Id, CancellationToken.None))[EntityType.Orders]);

        // And the next run reads them from the lease row: nothing changed, nothing written.
        var quiet = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, quiet.Run!.Status);
        Assert.Equal(0, quiet.Run.Counters.Created + quiet.Run.Counters.Updated);
    }

    [Fact]
    public async Task A_cursor_reset_of_legacy_rows_rewinds_its_types_keeps_the_others_and_moves_them_all()
    {
        await using var harness = new SyncHarness(storage, simulator, "legacyrst");
        var (connection, _) = await harness.AddStoreAsync("woocommerce", "legacy-reset", new SimStoreConfig { Orders = 300, Products = 60, Customers = 40, Seed = 72 });
        Assert.Equal(RunStatus.Succeeded, (await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None)).Run!.Status);
        var before = await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None);
        var table = await harness.Services.GetRequiredService<TableProvider>().GetAsync(TableNames.SyncState, CancellationToken.None);
        await MakeLegacyAsync(table, connection.Id, before);

        var reset = await harness.State.ResetCursorsAsync(connection.Id, [EntityType.Orders], CancellationToken.None);
        Assert.True(reset.Done);

        var after = await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None);
        Assert.Null(after[EntityType.Orders].HighWaterMark);
        Assert.Equal(before[EntityType.Customers].HighWaterMark, after[EntityType.Customers].HighWaterMark);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        var partition = LeaseRow.Partition(connection.Id);
        var rowKeys = await table.ReadAllAsync(TableQueries.Partition(partition), e => e.RowKey, CancellationToken.None, select: ["RowKey"]);
        Assert.DoesNotContain(rowKeys, k => k.StartsWith(CursorRow.Prefix, StringComparison.Ordinal));
    }

    /// <summary>The partition as the earlier release left it: a row per cursor, the lease row without the column.</summary>
    private static async Task MakeLegacyAsync(TableClient table, string connectionId, IReadOnlyDictionary<EntityType, EntityCursor> cursors)
    {
        foreach (var cursor in cursors.Values)
        {
            await table.UpsertEntityAsync(CursorRow.ToEntity(connectionId, cursor));
        }

        var lease = (await table.GetEntityAsync<TableEntity>(LeaseRow.Partition(connectionId), LeaseRow.KeyOf(SyncLane.Main))).Value;
        foreach (var column in lease.Keys.Where(k => k.StartsWith(LeaseCursors.Column, StringComparison.Ordinal)).ToList())
        {
            lease.Remove(column);
        }

        await table.UpdateEntityAsync(lease, lease.ETag, TableUpdateMode.Replace);
        Assert.Null(LeaseCursors.Read((await table.GetEntityAsync<TableEntity>(lease.PartitionKey, lease.RowKey)).Value));
    }

    private static string Json(IReadOnlyDictionary<EntityType, EntityCursor> cursors) =>
        System.Text.Json.JsonSerializer.Serialize(cursors.OrderBy(c => c.Key).Select(c => c.Value));
}

using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>Full sync stores exactly the marketplace's data; incremental syncs write only what changed.</summary>
[Collection(QuietCollection.Name)]
public sealed class FullAndIncrementalSyncTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    /// <summary>Tens of pages of every feed of every marketplace; in the volume trait, which <c>scripts/test.sh --all</c> (CI) runs.</summary>
    [Theory]
    [Trait("Category", "Volume")]
    [InlineData("shopify")]
    [InlineData("woocommerce")]
    [InlineData("etsy")]
    [InlineData("amazon")]
    public Task Full_then_incremental_then_137_changed_orders(string marketplace) =>
        FullThenIncrementalAsync(marketplace, "big", new SimStoreConfig { Orders = 20_000, Products = 5_000, Customers = 2_000, Seed = 11 });

    /// <summary>The same at a tenth of the size: still several pages of every feed (250 a page), so paging stays honest in the default run.</summary>
    [Theory]
    [InlineData("shopify")]
    [InlineData("woocommerce")]
    [InlineData("etsy")]
    [InlineData("amazon")]
    public Task Full_then_incremental_then_137_changed_orders_of_2000(string marketplace) =>
        FullThenIncrementalAsync(marketplace, "mid", new SimStoreConfig { Orders = 2_000, Products = 600, Customers = 700, Seed = 12 });

    private async Task FullThenIncrementalAsync(string marketplace, string label, SimStoreConfig size)
    {
        await using var harness = new SyncHarness(storage, simulator, label + marketplace[..4]);
        var (connection, store) = await harness.AddStoreAsync(marketplace, $"{label}-{marketplace}", size);

        // Full sync: exactly the simulator's records.
        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.Equal(SyncOutcomeKind.Finished, full.Kind);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        var afterFull = await harness.SnapshotAsync(connection.Id);
        long expectedTotal = 0;
        foreach (var type in EntityTypes.All)
        {
            var expected = Expected.For(store, type);
            expectedTotal += expected.Count;
            Expected.Matches(expected, afterFull[type], $"{marketplace} {type.ToWire()} after full sync");
        }

        Assert.Equal(size.Orders, afterFull[EntityType.Orders].Count);
        Assert.Equal(expectedTotal, full.Run.Counters.Created);
        Assert.Equal(0, full.Run.Counters.Updated + full.Run.Counters.Failed);
        Assert.Equal(0, full.Run.Counters.Pending);

        // An immediate incremental sync finds nothing new and writes nothing.
        var quiet = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, quiet.Run!.Status);
        Assert.Equal(0, quiet.Run.Counters.Created + quiet.Run.Counters.Updated);
        var afterQuiet = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Assert.All(afterQuiet[type], row => Assert.Equal(afterFull[type][row.Key].WrittenAt, row.Value.WrittenAt));
        }

        // 137 orders change (five minutes ago: Amazon serves changes older than two minutes only).
        var changed = store.Mutate(SimKind.Orders, 137, DateTimeOffset.UtcNow.AddMinutes(-5));
        var changedIds = changed.Select(i => marketplace == "amazon" ? SimCatalog.AmazonOrderId(i) : SimCatalog.OrderId(i).ToString()).ToHashSet();
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        var orders = incremental.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal(137, orders.Updated);
        Assert.Equal(0, orders.Created);
        Assert.Equal(137, incremental.Run.Counters.Updated);

        var afterChange = await harness.SnapshotAsync(connection.Id);
        var rewritten = afterChange[EntityType.Orders].Where(r => r.Value.WrittenAt != afterFull[EntityType.Orders][r.Key].WrittenAt).Select(r => r.Key).ToHashSet();
        Assert.Equal(changedIds.Order(), rewritten.Order());
        Expected.Matches(Expected.For(store, EntityType.Orders), afterChange[EntityType.Orders], $"{marketplace} orders after changes");
        foreach (var type in new[] { EntityType.Customers, EntityType.Products, EntityType.Prices })
        {
            Assert.All(afterChange[type], row => Assert.Equal(afterFull[type][row.Key].WrittenAt, row.Value.WrittenAt));
        }
    }
}

using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>Full sync stores exactly the marketplace's data; incremental syncs write only what changed.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class FullAndIncrementalSyncTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Theory]
    [InlineData("shopify")]
    [InlineData("woocommerce")]
    [InlineData("etsy")]
    [InlineData("amazon")]
    public async Task Full_then_incremental_then_137_changed_orders(string marketplace)
    {
        await using var harness = new SyncHarness(storage, simulator, "full" + marketplace[..4]);
        var (connection, store) = await harness.AddStoreAsync(marketplace, $"big-{marketplace}", new SimStoreConfig { Orders = 20_000, Products = 5_000, Customers = 2_000, Seed = 11 });

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

        Assert.Equal(20_000, afterFull[EntityType.Orders].Count);
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

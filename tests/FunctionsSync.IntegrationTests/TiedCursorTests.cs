using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Window paging on offset APIs (WooCommerce, Etsy) where many records share one second: a record of that second
/// already read changes (to a time beyond the next run's overlap window) while the walk stands at a page boundary
/// inside the second. The records behind it shift up by one; the walk must still read every one of them.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class TiedCursorTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.BeforeServing = null;
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("woocommerce")]
    [InlineData("etsy")]
    public async Task A_record_of_the_boundary_second_changing_mid_walk_skips_nothing(string marketplace)
    {
        await using var harness = new SyncHarness(storage, simulator, StorageServices.NewPrefix("tied"), new Dictionary<string, string?> { ["Sync:PageSize"] = "100" });
        var storeId = $"tied-{marketplace}-{Guid.NewGuid():N}"[..24];
        var (connection, store) = await harness.AddStoreAsync(marketplace, storeId, new SimStoreConfig { Orders = 1_000, Products = 0, Customers = 0, Seed = 51 });

        // 250 orders changed in one second two hours ago: the last 250 of the feed, in id order within the second.
        var tied = store.Mutate(SimKind.Orders, 250, DateTimeOffset.UtcNow.AddHours(-2));
        var orderPages = 0;
        simulator.State.BeforeServing = (id, path) =>
        {
            // Page 8 (positions 700-799) ended 50 records into the second; as page 9 is asked for, the first of them
            // changes again, now.
            if (id == storeId && IsOrdersPage(marketplace, path) && ++orderPages == 9)
            {
                store.MutateAt(SimKind.Orders, [tied[0]], DateTimeOffset.UtcNow);
            }
        };

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        Assert.True(orderPages >= 9, $"the walk took {orderPages} order pages");
        simulator.State.BeforeServing = null;

        // The next incremental run re-reads only its overlap window before the newest change: it cannot bring back
        // a record of two hours ago that the full walk skipped.
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Incremental), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);

        var snapshot = await harness.SnapshotAsync(connection.Id);
        Expected.Matches(Expected.For(store, EntityType.Orders), snapshot[EntityType.Orders], $"{marketplace} orders after a mid-walk change in the boundary second");
    }

    private static bool IsOrdersPage(string marketplace, string path) =>
        marketplace == "etsy" ? path.Contains("/receipts?", StringComparison.Ordinal) : path.Contains("/orders?", StringComparison.Ordinal);
}

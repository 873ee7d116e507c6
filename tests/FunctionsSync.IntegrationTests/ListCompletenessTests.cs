using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Completeness on offset lists: a WooCommerce or Etsy page answered short of the total the same answer states
/// (<c>X-WP-Total</c>, <c>count</c>) ends the run partial, naming the feed, its window and both counts; the cursor does
/// not pass the window, and the next run reads it again and ends exact. Without the check the short page looks like
/// the list's last, and the run would end succeeded with the rest of the store missing.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ListCompletenessTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_WooCommerce_page_answered_short_of_its_total_ends_partial_in_a_full_and_an_incremental_run()
    {
        // An overlap of one second: the incremental window then holds just the orders changed after the first runs.
        await using var harness = new SyncHarness(storage, simulator, "wooshort", new Dictionary<string, string?> { ["Sync:OverlapWindow"] = "00:00:01" });
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.WooCommerce, "woo-short", new SimStoreConfig { Orders = 350, Products = 0, Customers = 0, Seed = 61 });

        var full = await RunWithShortPageAsync(harness, new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Orders]));
        var stored = (await harness.SnapshotAsync(connection.Id))[EntityType.Orders].Count;
        AssertShort(full, EntityType.Orders, "woocommerce orders (all records)", expected: 350, delivered: stored);
        Assert.Null((await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None))[EntityType.Orders].HighWaterMark);

        var again = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Incremental, [EntityType.Orders]), CancellationToken.None);
        AssertExactRun(again, EntityType.Orders, 350);
        Expected.Matches(Expected.For(store, EntityType.Orders), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "orders after the run that read the window again");
        var mark = (await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None))[EntityType.Orders].HighWaterMark;
        Assert.NotNull(mark);

        // An incremental window: 30 orders changed.
        store.Mutate(SimKind.Orders, 30, DateTimeOffset.UtcNow.AddMinutes(-1));
        var incremental = await RunWithShortPageAsync(harness, new SyncRequest(connection.Id, SyncMode.Incremental, [EntityType.Orders]));
        var cursor = (await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None))[EntityType.Orders];
        Assert.True(cursor.RunSince < mark, "the window read starts before the high-water mark (the overlap)");
        // What the marketplace counts for the window (modified_after is exclusive: the adapter asks from a second early),
        // the 30 changed and those of the high-water mark's last seconds; one page, answered one short.
        var window = store.CountMatching(SimKind.Orders, cursor.RunSince!.Value.AddSeconds(-1), true, null);
        Assert.InRange(window, 30, 99);
        AssertShort(incremental, EntityType.Orders, $"woocommerce orders changed since {cursor.RunSince.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}", expected: window, delivered: window - 1);
        Assert.Equal(mark, cursor.HighWaterMark);

        var last = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Incremental, [EntityType.Orders]), CancellationToken.None);
        AssertExactRun(last, EntityType.Orders, window);
        Expected.Matches(Expected.For(store, EntityType.Orders), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "orders after the incremental window read again");
    }

    [Theory]
    [InlineData(EntityType.Orders, "etsy orders (all records)", 260)]
    [InlineData(EntityType.Products, "etsy products (all records)", 260)]
    public async Task An_Etsy_page_answered_short_of_its_count_ends_partial_and_the_next_run_ends_exact(EntityType type, string feed, int total)
    {
        await using var harness = new SyncHarness(storage, simulator, "etsyshort" + (int)type);
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Etsy, "61004" + (int)type, new SimStoreConfig { Orders = 260, Products = 260, Customers = 0, Seed = 62 });

        var first = await RunWithShortPageAsync(harness, new SyncRequest(connection.Id, SyncMode.Full, [type]));
        var stored = (await harness.SnapshotAsync(connection.Id))[type].Count;
        AssertShort(first, type, feed, expected: total, delivered: stored);

        var next = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Incremental, [type]), CancellationToken.None);
        AssertExactRun(next, type, total);
        Expected.Matches(Expected.For(store, type), (await harness.SnapshotAsync(connection.Id))[type], $"{type} after the run that read the feed again");
    }

    private async Task<SyncOutcome> RunWithShortPageAsync(SyncHarness harness, SyncRequest request)
    {
        simulator.State.Faults = new SimFaults { ShortListPages = 1 };
        try
        {
            return await harness.Syncer.RunAsync(request, CancellationToken.None);
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }
    }

    private static void AssertShort(SyncOutcome outcome, EntityType type, string feed, long expected, long delivered)
    {
        Assert.Equal(RunStatus.Partial, outcome.Run!.Status);
        Assert.Equal(
            $"completeness: {feed}: the marketplace counted {expected}, the feed delivered {delivered}; the next run reads these again.",
            outcome.Run.Error);
        Assert.True(delivered < expected, $"the short page cost records ({delivered} of {expected})");
        var counters = outcome.Run.Entity(type)!.Counters;
        Assert.Equal((expected, expected - delivered, 0L), (counters.Expected!.Value, counters.Missing, counters.Failed));
    }

    private static void AssertExactRun(SyncOutcome outcome, EntityType type, long expected)
    {
        Assert.True(outcome.Run!.Status == RunStatus.Succeeded, outcome.Run.Error);
        var counters = outcome.Run.Entity(type)!.Counters;
        Assert.Equal((expected, 0L), (counters.Expected!.Value, counters.Missing));
    }
}

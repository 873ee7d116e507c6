using System.Globalization;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Etsy listings as <c>getListingsByShop</c> declares them (contracts/etsy/etsy-openapi-v3.json): one list per
/// <c>state</c>, no date filter (the simulator ignores <c>min_last_modified</c>, as Etsy ignores what the operation
/// does not declare), no usable sort. A shop with more than a page of listings in every state syncs completely, and
/// incrementally too, and every walk ends.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class EtsyListingStatesTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private static readonly string[] States = ["active", "inactive", "sold_out", "draft", "expired"];

    [Fact]
    public async Task Listings_of_every_state_sync_completely_fully_and_incrementally_and_the_walk_ends()
    {
        await using var harness = new SyncHarness(storage, simulator, "etsystates");
        var (connection, store) = await harness.AddStoreAsync(
            MarketplaceNames.Etsy, "6100431", new SimStoreConfig { Orders = 120, Products = 400, Customers = 0, Seed = 51 },
            settings: new Dictionary<string, string> { ["batchSize"] = "25" });
        simulator.State.ClearRequests();

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        AssertExact(store, await harness.SnapshotAsync(connection.Id), "after a full sync");

        var listings = ListingRequests(store);
        Assert.All(listings, p => Assert.DoesNotContain("min_last_modified", p, StringComparison.Ordinal));
        Assert.All(States, s => Assert.Contains(listings, p => p.Contains($"state={s}&", StringComparison.Ordinal) && !p.EndsWith("offset=0", StringComparison.Ordinal)));
        // Two feeds (products, prices) walk 400 listings 25 a page: a bounded number of requests.
        Assert.InRange(listings.Count, 2 * 400 / 25, 2 * ((400 / 25) + States.Length));

        simulator.State.ClearRequests();
        var changed = store.Mutate(SimKind.Products, 7, DateTimeOffset.UtcNow.AddMinutes(-1)).Select(i => SimCatalog.ProductId(i).ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        AssertExact(store, await harness.SnapshotAsync(connection.Id), "after an incremental sync");
        Assert.Equal(changed.Count, incremental.Run.Entity(EntityType.Products)!.Counters.Updated);
        Assert.InRange(ListingRequests(store).Count, 2 * 400 / 25, 2 * ((400 / 25) + States.Length));
    }

    private List<string> ListingRequests(SimStore store) =>
        [.. simulator.AnsweredPaths(store).Where(p => p.Contains("/listings?", StringComparison.Ordinal))];

    private static void AssertExact(SimStore store, Dictionary<EntityType, Dictionary<string, StoredRecord>> snapshot, string when)
    {
        foreach (var type in new[] { EntityType.Orders, EntityType.Products, EntityType.Prices })
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"etsy {type.ToWire()} {when}");
        }
    }
}

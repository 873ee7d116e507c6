using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Shopify over GraphQL: full syncs through one bulk query per feed, incremental ones with paged queries paced by
/// the shop's cost points; a failed, slow or broken-off bulk query still ends with the simulator's data, exactly.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ShopifyGraphQlSyncTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string GraphQlPath = "/graphql.json";

    /// <summary>The store size; in the volume trait, which <c>scripts/test.sh --all</c> (CI) runs.</summary>
    [Fact]
    [Trait("Category", "Volume")]
    public Task A_100000_order_30000_product_store_syncs_through_one_bulk_query_per_feed_then_incrementally_with_pages() =>
        BulkThenPagesAsync("gql-big", new SimStoreConfig { Orders = 100_000, Products = 30_000, Customers = 3_000, Seed = 21 });

    [Fact]
    public Task A_5000_order_store_syncs_through_one_bulk_query_per_feed_then_incrementally_with_pages() =>
        BulkThenPagesAsync("gql-mid", new SimStoreConfig { Orders = 5_000, Products = 1_500, Customers = 300, Seed = 22 });

    private async Task BulkThenPagesAsync(string storeId, SimStoreConfig size)
    {
        await using var harness = new SyncHarness(storage, simulator, "gql" + storeId[4..]);
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Shopify, storeId, size);
        simulator.State.ClearRequests();

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        var afterFull = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), afterFull[type], $"shopify {type.ToWire()} after a bulk full sync");
        }

        // One bulk query per query (orders, customers, products; prices read the products file, downloaded once), each
        // completed; no paged reads. On 2026-01 (five at a time) the later feeds' queries ran while the orders file was read.
        Assert.Equal(3, store.BulkOperations.Count);
        Assert.All(store.BulkOperations.Values, o => Assert.Equal("COMPLETED", o.Status));
        Assert.Equal(3, BulkDownloads(store).Count);
        var first = store.BulkOperations.Values.MinBy(o => o.CreatedAt)!;
        Assert.All(store.BulkOperations.Values, o => Assert.True(o.CreatedAt <= first.CompletedAt, $"{o.Gid} started after the first query completed"));
        // ...and were polled to completion and their files downloaded then too, before the last order was written.
        var lastOrderWritten = afterFull[EntityType.Orders].Values.Max(r => r.WrittenAt);
        var downloads = simulator.State.Requests.Where(r => r.StoreId == storeId && r.Status < 400 && r.Path.Contains("/bulk-files/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, downloads.Count);
        Assert.All(downloads, d => Assert.True(d.At < lastOrderWritten, $"{d.Path} was downloaded at {d.At:O}, after the last order was written ({lastOrderWritten:O})"));
        Assert.Equal(size.Orders, full.Run.Entity(EntityType.Orders)!.Counters.ReportedTotal);
        Assert.Equal(0, full.Run.Counters.Updated + full.Run.Counters.Failed);

        // An incremental sync pages GraphQL from the cursor and writes nothing.
        simulator.State.ClearRequests();
        var quiet = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(quiet.Run!.Status == RunStatus.Succeeded, quiet.Run.Error);
        Assert.Equal(0, quiet.Run.Counters.Created + quiet.Run.Counters.Updated);
        Assert.Equal(3, store.BulkOperations.Count);
        Assert.True(Requests(store).Count(p => p.EndsWith(GraphQlPath, StringComparison.Ordinal)) > 0);
        var afterQuiet = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Assert.All(afterQuiet[type], row => Assert.Equal(afterFull[type][row.Key].WrittenAt, row.Value.WrittenAt));
        }

        // Changes are read by pages: exactly the changed orders are rewritten.
        var changed = store.Mutate(SimKind.Orders, 37, DateTimeOffset.UtcNow.AddMinutes(-1)).Select(i => SimCatalog.OrderId(i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        Assert.Equal(37, incremental.Run.Entity(EntityType.Orders)!.Counters.Updated);
        var orders = (await harness.SnapshotAsync(connection.Id))[EntityType.Orders];
        Assert.Equal(changed.Order(), orders.Where(r => r.Value.WrittenAt != afterFull[EntityType.Orders][r.Key].WrittenAt).Select(r => r.Key).Order());
        Expected.Matches(Expected.For(store, EntityType.Orders), orders, "shopify orders after changes");
    }

    /// <summary>Before 2026-01 a shop runs one bulk query at a time: none is started ahead, and prices still read the products file.</summary>
    [Fact]
    public async Task Before_2026_01_the_feeds_bulk_queries_run_one_after_another()
    {
        await using var harness = new SyncHarness(storage, simulator, "gqlone");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Shopify, "gql-one-at-a-time", new SimStoreConfig { Orders = 800, Products = 200, Customers = 50, Seed = 23 },
            settings: new Dictionary<string, string> { ["apiVersion"] = "2025-10" });

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);

        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"shopify {type.ToWire()} (2025-10)");
        }

        var operations = store.BulkOperations.Values.OrderBy(o => o.CreatedAt).ToList();
        Assert.Equal(3, operations.Count);
        for (var i = 1; i < operations.Count; i++)
        {
            Assert.True(operations[i].CreatedAt >= operations[i - 1].CompletedAt, $"{operations[i].Gid} started while {operations[i - 1].Gid} ran");
        }
    }

    [Fact]
    public async Task A_bulk_query_failed_half_way_falls_back_to_pages_and_ends_exact()
    {
        await using var harness = new SyncHarness(storage, simulator, "gqlfail");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Shopify, "gql-fail", new SimStoreConfig { Orders = 3_000, Products = 0, Customers = 0, Seed = 22 });
        simulator.State.Faults = new SimFaults { FailBulkAfterObjects = 1_500 };
        try
        {
            var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Orders]), CancellationToken.None);
            Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
            Expected.Matches(Expected.For(store, EntityType.Orders), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "orders after a failed bulk query");
            Assert.Equal("FAILED", Assert.Single(store.BulkOperations.Values).Status);
            Assert.Equal(3_000, full.Run.Entity(EntityType.Orders)!.Counters.Created);
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }
    }

    /// <summary>
    /// A completed bulk query whose file holds fewer top-level objects than its <c>rootObjectCount</c> (a result
    /// dropped without an error): the run ends partial naming the shortfall, the cursor does not pass the feed, and the
    /// next run reads it again and ends exact.
    /// </summary>
    [Fact]
    public async Task A_bulk_result_cut_short_without_an_error_ends_partial_and_the_next_run_reads_it_again()
    {
        await using var harness = new SyncHarness(storage, simulator, "gqlshort");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Shopify, "gql-short", new SimStoreConfig { Orders = 1_200, Products = 0, Customers = 0, Seed = 25 });
        simulator.State.Faults = new SimFaults { DropFromBulkFiles = 40 };
        SyncOutcome first;
        try
        {
            first = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Orders]), CancellationToken.None);
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }

        Assert.Equal(RunStatus.Partial, first.Run!.Status);
        Assert.StartsWith("completeness: shopify orders (all records): the marketplace counted 1200, the feed delivered 1160", first.Run.Error, StringComparison.Ordinal);
        var counted = first.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal((1_200L, 40L, 0L), (counted.Expected!.Value, counted.Missing, counted.Failed));
        Assert.Equal(1_160, (await harness.SnapshotAsync(connection.Id))[EntityType.Orders].Count);
        // The feed's cursor did not pass it: no high-water mark, so the next run (a scheduled, incremental one) reads it whole.
        Assert.Null((await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None))[EntityType.Orders].HighWaterMark);

        var next = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Incremental, [EntityType.Orders]), CancellationToken.None);
        Assert.True(next.Run!.Status == RunStatus.Succeeded, next.Run.Error);
        Assert.Equal((1_200L, 0L), (next.Run.Entity(EntityType.Orders)!.Counters.Expected!.Value, next.Run.Entity(EntityType.Orders)!.Counters.Missing));
        Expected.Matches(Expected.For(store, EntityType.Orders), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "orders after a short bulk result and the next run");
        Assert.NotNull((await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None))[EntityType.Orders].HighWaterMark);
    }

    [Fact]
    public async Task A_bulk_query_running_past_its_limit_is_cancelled_and_the_feed_paged()
    {
        await using var harness = new SyncHarness(storage, simulator, "gqlslow", new Dictionary<string, string?> { ["Marketplaces:Shopify:BulkTimeout"] = "00:00:01" });
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Shopify, "gql-slow", new SimStoreConfig { Orders = 0, Products = 0, Customers = 2_000, Seed = 23, BulkPolls = 1_000_000 });

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Customers]), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        Expected.Matches(Expected.For(store, EntityType.Customers), (await harness.SnapshotAsync(connection.Id))[EntityType.Customers], "customers after a slow bulk query");
        Assert.Equal("CANCELED", Assert.Single(store.BulkOperations.Values).Status);
    }

    [Fact]
    public async Task A_download_broken_off_resumes_in_the_next_process_from_the_bytes_it_has()
    {
        const string owner = "orchestration/shopify-resume";
        await using var first = new SyncHarness(storage, simulator, "gqlcut");
        var (connection, store) = await first.AddStoreAsync(MarketplaceNames.Shopify, "gql-cut", new SimStoreConfig { Orders = 4_000, Products = 0, Customers = 0, Seed = 24 });
        simulator.State.ClearRequests();
        simulator.State.Faults = new SimFaults { CutDownloadAtBytes = 300_000 };
        SyncOutcome stopped;
        try
        {
            // One page: the bulk query completes, its download breaks off; the run stops there, as a killed process would.
            stopped = await first.Syncer.RunPagesAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Orders], Owner: owner), 1, CancellationToken.None);
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }

        Assert.True(stopped.Kind == SyncOutcomeKind.InProgress, $"{stopped.Kind} {stopped.Run?.Status} {stopped.Run?.Error}");
        Assert.Empty((await first.SnapshotAsync(connection.Id))[EntityType.Orders]);

        await using var second = new SyncHarness(storage, simulator, "gqlcut", new Dictionary<string, string?> { ["Marketplaces:Shopify:Directory"] = first.Settings["Marketplaces:Shopify:Directory"] });
        var resumed = await second.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Orders], RunId: stopped.Run!.RunId, Owner: owner), CancellationToken.None);
        Assert.True(resumed.Run!.Status == RunStatus.Succeeded, resumed.Run.Error);
        Expected.Matches(Expected.For(store, EntityType.Orders), (await second.SnapshotAsync(connection.Id))[EntityType.Orders], "orders after a resumed download");

        // The same bulk query; its file fetched twice: whole (cut at 300,000 bytes), then from byte 300,000 on.
        var operation = Assert.Single(store.BulkOperations.Values);
        var downloads = BulkDownloads(store);
        Assert.Equal(2, downloads.Count);
        Assert.DoesNotContain('#', downloads[0]);
        Assert.EndsWith("#bytes=300000-", downloads[1]);
        Assert.True(operation.FileSize > 300_000);
    }

    [Fact]
    public async Task Pages_are_paced_by_the_shops_cost_points_without_a_throttled_answer()
    {
        await using var harness = new SyncHarness(storage, simulator, "gqlcost");
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Shopify, "gql-cost", new SimStoreConfig
        {
            Orders = 0, Products = 0, Customers = 6_000, Seed = 25, GraphQlRestoreRate = 1_000, GraphQlMaximumAvailable = 1_000,
        });
        connection = (await harness.Connections.UpdateAsync(connection.Id, c => c with { Settings = new Dictionary<string, string>(c.Settings) { ["fullSync"] = "paged" } }, CancellationToken.None))!;
        simulator.State.RateLimitsEnabled = true;
        try
        {
            // Paged (not bulk): 24 pages of 250 customers at 252 points each against a 1,000-point bucket restoring 1,000/s.
            var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Customers]), CancellationToken.None);
            Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        }
        finally
        {
            simulator.State.RateLimitsEnabled = false;
        }

        Expected.Matches(Expected.For(store, EntityType.Customers), (await harness.SnapshotAsync(connection.Id))[EntityType.Customers], "customers paced by cost");
        Assert.Equal(0, store.CostBucket.Refused);
        Assert.True(store.CostBucket.Spent > 6_000, $"{store.CostBucket.Spent} points spent");
    }

    [Fact]
    public async Task A_paged_walk_starts_a_new_updated_at_window_before_the_cursor_limit_and_neither_skips_nor_repeats_a_tie()
    {
        // Windows of 100 objects over 1,000 orders changed two per second: every window starts inside a tie.
        await using var harness = new SyncHarness(storage, simulator, "gqlwin", new Dictionary<string, string?> { ["Marketplaces:Shopify:WindowObjects"] = "100" });
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Shopify, "gql-windows", new SimStoreConfig { Orders = 1_000, Products = 0, Customers = 0, Seed = 26 },
            settings: new Dictionary<string, string> { ["fullSync"] = "paged" });
        simulator.State.ClearRequests();

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Orders]), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        Expected.Matches(Expected.For(store, EntityType.Orders), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "orders read in windows");
        // Each order read once: created 1,000, none found again.
        var counters = full.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal((1_000L, 0L), (counters.Created, counters.Unchanged));
        Assert.Empty(store.BulkOperations);
    }

    private List<string> Requests(SimStore store) => simulator.AnsweredPaths(store);

    private List<string> BulkDownloads(SimStore store) => [.. Requests(store).Where(p => p.Contains("/bulk-files/", StringComparison.Ordinal))];
}

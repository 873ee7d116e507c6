using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// Amazon full syncs read the order history from reports (createReport → getReport → getReportDocument → the gzip
/// file), incremental ones from getOrders; a failed report falls back to getOrders; a resumed run reads on from its
/// byte offset. Every case ends with the stored orders equal to the simulator's.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AmazonReportSyncTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string ReportsPath = "/reports/2021-06-30/reports";
    private const string SearchOrdersPath = "/orders/2026-01-01/orders";

    [Fact]
    public async Task A_full_sync_reads_one_report_and_an_incremental_one_reads_getOrders_and_writes_nothing()
    {
        await using var harness = new SyncHarness(storage, simulator, "amzrep");
        var (connection, store) = await AddStoreAsync(harness, "amz-report-one", new SimStoreConfig { Orders = 3_000, Products = 0, Seed = 5, ReportMaxDays = 3650 },
            new() { ["historyStart"] = "2023-12-01T00:00:00Z", ["reportWindowDays"] = "3650" });
        simulator.State.ClearRequests();

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        var afterFull = await harness.SnapshotAsync(connection.Id);
        Expected.Matches(Expected.For(store, EntityType.Orders), afterFull[EntityType.Orders], "orders after a full sync from a report");
        Expected.LinesMatch(Expected.AmazonLines(store), afterFull[EntityType.Orders], "lines from a report");
        Assert.Equal(3_000, full.Run.Entity(EntityType.Orders)!.Counters.Created);
        // The report's size is the feed's total, for progress.
        Assert.Equal(3_000, full.Run.Entity(EntityType.Orders)!.Counters.ReportedTotal);
        var requests = Requests(store);
        Assert.Equal(1, requests.Count(p => p.EndsWith(ReportsPath, StringComparison.Ordinal)));
        Assert.Equal(1, requests.Count(p => p.Contains("/report-files/", StringComparison.Ordinal)));
        Assert.Equal(0, requests.Count(p => p.Contains("/orders/v0/orders", StringComparison.Ordinal) || p.Contains(SearchOrdersPath, StringComparison.Ordinal)));
        // The report's records are getOrders' records: a sample compared field by field.
        var sample = afterFull[EntityType.Orders][SimCatalog.AmazonOrderId(17)].Record as OrderRecord;
        var order = SimCatalog.Order(store, store.Current(SimKind.Orders, 17));
        Assert.Equal((SimCatalog.AmazonOrderId(17), order.Total, order.Currency, order.CreatedAt), (sample!.OrderNumber, sample.Total, sample.Currency, sample.CreatedAt));

        simulator.State.ClearRequests();
        var quiet = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(quiet.Run!.Status == RunStatus.Succeeded, quiet.Run.Error);
        Assert.Equal(0, quiet.Run.Counters.Created + quiet.Run.Counters.Updated);
        requests = Requests(store);
        Assert.Equal(0, requests.Count(p => p.Contains("/reports/", StringComparison.Ordinal)));
        Assert.True(requests.Count(p => p.Contains(SearchOrdersPath, StringComparison.Ordinal)) > 0);
        var afterQuiet = await harness.SnapshotAsync(connection.Id);
        Assert.All(afterQuiet[EntityType.Orders], row => Assert.Equal(afterFull[EntityType.Orders][row.Key].WrittenAt, row.Value.WrittenAt));
        Assert.Empty(Directory.EnumerateFiles(harness.Settings["Marketplaces:Amazon:Directory"]!));
    }

    [Fact]
    public async Task History_longer_than_a_report_window_is_read_window_by_window()
    {
        await using var harness = new SyncHarness(storage, simulator, "amzwin");
        // Orders changed today as well as the seeded ones of 2024: with 30-day windows from the first of December 2023.
        var (connection, store) = await AddStoreAsync(harness, "amz-report-windows", new SimStoreConfig { Orders = 1_200, Products = 0, Seed = 6 },
            new() { ["historyStart"] = "2023-12-01T00:00:00Z" });
        store.Mutate(SimKind.Orders, 40, DateTimeOffset.UtcNow.AddMinutes(-10));
        simulator.State.ClearRequests();

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        Expected.Matches(Expected.For(store, EntityType.Orders), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "orders after a windowed full sync");
        var windows = (int)Math.Ceiling((DateTimeOffset.UtcNow - new DateTimeOffset(2023, 12, 1, 0, 0, 0, TimeSpan.Zero)).TotalDays / 30);
        Assert.InRange(Requests(store).Count(p => p.EndsWith(ReportsPath, StringComparison.Ordinal)), windows - 1, windows);
        Assert.Equal(0, Requests(store).Count(p => p.Contains("/orders/v0/orders", StringComparison.Ordinal) || p.Contains(SearchOrdersPath, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failed_report_is_replaced_by_getOrders_over_its_window_and_the_data_ends_exact()
    {
        await using var harness = new SyncHarness(storage, simulator, "amzfatal");
        var (connection, store) = await AddStoreAsync(harness, "amz-report-fatal", new SimStoreConfig { Orders = 1_500, Products = 0, Seed = 7, ReportMaxDays = 3650 },
            new() { ["historyStart"] = "2023-12-01T00:00:00Z", ["reportWindowDays"] = "3650" });
        simulator.State.ClearRequests();
        simulator.State.Faults = simulator.State.Faults with { FailReports = true };
        try
        {
            var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
            Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
            Expected.Matches(Expected.For(store, EntityType.Orders), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "orders after a failed report");
            Assert.Equal(1_500, full.Run.Entity(EntityType.Orders)!.Counters.Created);
            var requests = Requests(store);
            Assert.Equal(1, requests.Count(p => p.EndsWith(ReportsPath, StringComparison.Ordinal)));
            Assert.Equal(0, requests.Count(p => p.Contains("/documents/", StringComparison.Ordinal)));
            // searchOrders pages of 100 orders, each order with its items: no getOrderItems call.
            Assert.Equal(15, requests.Count(p => p.Contains(SearchOrdersPath + "?", StringComparison.Ordinal)));
            Assert.Equal(0, requests.Count(p => p.EndsWith("/orderItems", StringComparison.Ordinal)));
            Expected.LinesMatch(Expected.AmazonLines(store), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "lines after a failed report");
        }
        finally
        {
            simulator.State.Faults = simulator.State.Faults with { FailReports = false };
        }
    }

    /// <summary>
    /// A report document that arrives cut short (half its rows, no gzip trailer, the answer otherwise whole) decompresses
    /// without an error in .NET: the trailer check finds it. Cut once, it is downloaded again; cut twice, its window is
    /// read with searchOrders. Either way the run ends exact (on the old code, it ended succeeded with half the orders).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_report_document_cut_short_is_fetched_again_or_replaced_by_getOrders_and_the_data_ends_exact(int cuts)
    {
        await using var harness = new SyncHarness(storage, simulator, "amzcut" + cuts);
        var (connection, store) = await AddStoreAsync(harness, "amz-report-cut-" + cuts, new SimStoreConfig { Orders = 1_500, Products = 0, Seed = 9, ReportMaxDays = 3650 },
            new() { ["historyStart"] = "2023-12-01T00:00:00Z", ["reportWindowDays"] = "3650" });
        simulator.State.ClearRequests();
        simulator.State.Faults = simulator.State.Faults with { CutReportDocuments = cuts };
        try
        {
            var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
            Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
            var orders = (await harness.SnapshotAsync(connection.Id))[EntityType.Orders];
            Expected.Matches(Expected.For(store, EntityType.Orders), orders, $"orders after {cuts} cut report document(s)");
            Expected.LinesMatch(Expected.AmazonLines(store), orders, "lines after a cut report document");
            Assert.Equal(1_500, full.Run.Entity(EntityType.Orders)!.Counters.Created);
            var requests = Requests(store);
            Assert.Equal(1, requests.Count(p => p.EndsWith(ReportsPath, StringComparison.Ordinal)));
            Assert.Equal(2, requests.Count(p => p.Contains("/documents/", StringComparison.Ordinal)));
            Assert.Equal(2, requests.Count(p => p.Contains("/report-files/", StringComparison.Ordinal)));
            Assert.Equal(cuts == 2 ? 15 : 0, requests.Count(p => p.Contains(SearchOrdersPath + "?", StringComparison.Ordinal)));
            Assert.Empty(Directory.EnumerateFiles(harness.Settings["Marketplaces:Amazon:Directory"]!));
        }
        finally
        {
            simulator.State.Faults = simulator.State.Faults with { CutReportDocuments = 0 };
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_stopped_mid_document_resumes_at_its_offset_from_the_file_or_a_new_download(bool fileLost)
    {
        var prefix = "amzres" + (fileLost ? "l" : "k");
        await using var first = new SyncHarness(storage, simulator, prefix);
        var (connection, store) = await AddStoreAsync(first, "amz-report-resume-" + fileLost, new SimStoreConfig { Orders = 2_000, Products = 0, Seed = 8, ReportMaxDays = 3650 },
            new() { ["historyStart"] = "2023-12-01T00:00:00Z", ["reportWindowDays"] = "3650" });
        simulator.State.ClearRequests();

        // Three writes of 250 orders, then the run stops as a crash would leave it: checkpointed mid-document.
        // Slices of one run share an owner (a Durable orchestration's instance id), whichever worker runs them.
        const string owner = "orchestration/amazon-resume";
        var stopped = await first.Syncer.RunPagesAsync(new SyncRequest(connection.Id, SyncMode.Full, Owner: owner), 4, CancellationToken.None);
        Assert.Equal(SyncOutcomeKind.InProgress, stopped.Kind);
        var written = (await first.SnapshotAsync(connection.Id))[EntityType.Orders].Count;
        Assert.InRange(written, 250, 1_000);

        // The next slice on another worker: the same folder (the file is there) or a new one (it must download again).
        var folder = fileLost ? null : first.Settings["Marketplaces:Amazon:Directory"];
        await using var second = new SyncHarness(storage, simulator, prefix, folder is null ? null : new Dictionary<string, string?> { ["Marketplaces:Amazon:Directory"] = folder });
        var resumed = await second.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, RunId: stopped.Run!.RunId, Owner: owner), CancellationToken.None);
        Assert.True(resumed.Run!.Status == RunStatus.Succeeded, resumed.Run.Error);
        Assert.Equal(stopped.Run.RunId, resumed.Run.RunId);
        var orders = (await second.SnapshotAsync(connection.Id))[EntityType.Orders];
        Expected.Matches(Expected.For(store, EntityType.Orders), orders, "orders after a resumed report");
        // Nothing read twice: every order created once, none found again (unchanged) or updated.
        var counters = resumed.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal((2_000L, 0L, 0L), (counters.Created, counters.Unchanged, counters.Updated));
        var requests = Requests(store);
        Assert.Equal(1, requests.Count(p => p.EndsWith(ReportsPath, StringComparison.Ordinal)));
        Assert.Equal(fileLost ? 2 : 1, requests.Count(p => p.Contains("/report-files/", StringComparison.Ordinal)));
    }

    private static async Task<(Connection Connection, SimStore Store)> AddStoreAsync(SyncHarness harness, string storeId, SimStoreConfig config, Dictionary<string, string> settings)
    {
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Amazon, storeId, config);
        var updated = await harness.Connections.UpdateAsync(connection.Id, c => c with { Settings = new Dictionary<string, string>(c.Settings.Concat(settings)) }, CancellationToken.None);
        return (updated!, store);
    }

    private List<string> Requests(SimStore store) => simulator.AnsweredPaths(store);
}

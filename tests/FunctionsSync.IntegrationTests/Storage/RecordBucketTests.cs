using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>Records of one (connection, entity type) spread over buckets: every bucket used, each record one point read away, the layout fixed per connection.</summary>
[Collection(QuietCollection.Name)]
public sealed class RecordBucketTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_full_sync_lands_in_every_bucket_exactly_once_and_a_point_read_is_one_request()
    {
        var prefix = StorageServices.NewPrefix("buckets");
        await using var harness = new SyncHarness(storage, simulator, prefix, new Dictionary<string, string?> { ["Storage:RecordBuckets"] = "8", ["Sync:MinRecordsPerWrite"] = "800" });
        var (connection, store) = await harness.AddStoreAsync("woocommerce", "bucket-store", new SimStoreConfig { Orders = 2_000, Products = 300, Customers = 0, Seed = 21 });
        var outcome = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, outcome.Run!.Status);

        // WooCommerce pages hold 100 records: the 2,000 orders alone are 20 pages, written as 3 writes of up to 800
        // (products, prices and the empty customer feed add one write each).
        Assert.InRange(outcome.Run.PageSeq, 4, 8);
        var probe = harness.Services.GetRequiredService<StorageProbe>();
        foreach (var type in new[] { EntityType.Orders, EntityType.Products })
        {
            var buckets = await probe.CountRecordRowsByBucketAsync(connection.Id, type, CancellationToken.None);
            Assert.Equal(8, buckets.Count);
            Assert.All(buckets.Values, rows => Assert.True(rows > 0));
            var expected = Expected.For(store, type);
            Assert.Equal(expected.Count, buckets.Values.Sum());
            var stored = new HashSet<string>();
            await foreach (var record in harness.Records.ListAsync(connection.Id, type, CancellationToken.None))
            {
                Assert.True(stored.Add(record.Record.ExternalId), $"{record.Record.ExternalId} stored twice");
            }

            Assert.Equal(expected.Keys.Order(), stored.Order());
        }

        var counter = harness.Services.GetRequiredService<StorageRequestCounter>();
        var records = harness.Services.GetRequiredService<IStoredRecords>();
        foreach (var id in Expected.For(store, EntityType.Orders).Keys.Take(20))
        {
            var before = counter.Count;
            Assert.NotNull(await records.GetAsync(connection.Id, EntityType.Orders, id, CancellationToken.None));
            Assert.Equal(1, counter.Count - before);
        }

        // The layout is the connection's: a process configured for 2 buckets still finds every record in the 8.
        await using var other = new SyncHarness(storage, simulator, prefix, new Dictionary<string, string?> { ["Storage:RecordBuckets"] = "2" });
        Assert.Equal(8, (await other.Services.GetRequiredService<StorageProbe>().CountRecordRowsByBucketAsync(connection.Id, EntityType.Orders, CancellationToken.None)).Count);
        var again = await other.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.Equal(0, again.Run!.Counters.Created);
        Assert.Equal(expected: Expected.For(store, EntityType.Orders).Count, actual: again.Run.Entity(EntityType.Orders)!.Counters.Unchanged);
    }
}

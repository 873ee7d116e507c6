using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>
/// A connection's detail costs the same whatever it stores: record counts come from counters the checkpoints keep,
/// not from reading the records. The 200,000-order store takes a while to sync, so this runs in CI's volume trait.
/// </summary>
[Collection(QuietCollection.Name)]
[Trait("Category", "Volume")]
public sealed class ConnectionReadCostTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task The_detail_of_a_200000_order_connection_costs_the_storage_requests_of_a_100_order_one_and_counts_exactly()
    {
        await using var harness = new SyncHarness(storage, simulator, StorageServices.NewPrefix("readcost"));
        var (big, _) = await harness.AddStoreAsync("shopify", "readcost-big", new SimStoreConfig { Orders = 200_000, Products = 0, Customers = 0, Seed = 11 });
        var (small, _) = await harness.AddStoreAsync("shopify", "readcost-small", new SimStoreConfig { Orders = 100, Products = 0, Customers = 0, Seed = 12 });
        foreach (var connection in new[] { big, small })
        {
            var outcome = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
            Assert.True(outcome.Run!.Status == RunStatus.Succeeded, outcome.Run.Error);
        }

        var api = ActivatorUtilities.CreateInstance<ConnectionsApi>(harness.Services, ActivatorUtilities.CreateInstance<ConnectionAccess>(harness.Services));
        var counter = harness.Services.GetRequiredService<StorageRequestCounter>();
        async Task<(long Requests, RecordCountsView Records)> DetailAsync(string id)
        {
            var before = counter.Count;
            var result = await api.GetAsync(ApiCaller.Admin, id, CancellationToken.None);
            Assert.Equal(200, result.Status);
            return (counter.Count - before, result.Value!.Records!);
        }

        await DetailAsync(small.Id); // table clients created, bucket layouts cached: both calls below start warm
        var smallDetail = await DetailAsync(small.Id);
        var bigDetail = await DetailAsync(big.Id);

        Assert.Equal(smallDetail.Requests, bigDetail.Requests);
        Assert.Equal(200_000, bigDetail.Records.Orders);
        Assert.Equal(100, smallDetail.Records.Orders);
        var probe = harness.Services.GetRequiredService<StorageProbe>();
        Assert.Equal(200_000, (await probe.CountRecordRowsByBucketAsync(big.Id, EntityType.Orders, CancellationToken.None)).Values.Sum());
        Assert.Equal(100, (await probe.CountRecordRowsByBucketAsync(small.Id, EntityType.Orders, CancellationToken.None)).Values.Sum());
    }
}

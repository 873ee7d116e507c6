using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// An Odoo database in the simulator (partners, products with stock, pricelist items, orders with lines) over real
/// HTTP, through the JSON-2 API and through JSON-RPC <c>execute_kw</c>: a full sync and incremental ones exact, a record
/// written in the same second as the cursor not lost, and an expired API key turning the connection action_required.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OdooSyncTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Theory]
    [InlineData("json2")]
    [InlineData("jsonrpc")]
    public async Task A_database_syncs_fully_and_incrementally_exact_and_a_change_in_the_cursors_second_is_not_lost(string api)
    {
        // No overlap: the cursor's own second is all that is read again.
        await using var harness = new SyncHarness(storage, simulator, "odoo" + api, new Dictionary<string, string?> { ["Sync:OverlapWindow"] = "00:00:00", ["Sync:PageSize"] = "25" });
        var storeId = $"odoo-{api}";
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Odoo, storeId, new SimStoreConfig { Orders = 300, Products = 120, Customers = 60, Seed = 101, Currency = "EUR" },
            settings: new Dictionary<string, string> { ["api"] = api, ["database"] = storeId, ["login"] = "admin", ["currency"] = "EUR" });

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);
        await AssertExactAsync(harness, connection, store, "after the full sync");
        Assert.Contains(simulator.AnsweredPaths(store), p => p.EndsWith(api == "json2" ? "/json/2/sale.order.line/search_read" : "/jsonrpc", StringComparison.Ordinal));

        var now = DateTimeOffset.UtcNow;
        // Sixty orders written in one second: pages of 25 split that second, which the keyset (write_date, id) walks.
        store.MutateAt(SimKind.Orders, Enumerable.Range(100, 60), now);
        store.MutateAt(SimKind.Products, [0, 5, 77], now);
        store.MutateAt(SimKind.Customers, [9], now);
        var incremental = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.True(incremental.Run!.Status == RunStatus.Succeeded, incremental.Run.Error);
        Assert.Equal((60L, 3L, 1L), (Updated(incremental, EntityType.Orders), Updated(incremental, EntityType.Products), Updated(incremental, EntityType.Customers)));
        await AssertExactAsync(harness, connection, store, "after the incremental sync");

        // Written in the very second the cursor stands at, after the run read that second.
        var mark = (await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None))[EntityType.Orders].HighWaterMark!.Value;
        store.MutateAt(SimKind.Orders, [2], mark);
        var same = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, EntityTypes: [EntityType.Orders]), CancellationToken.None);
        Assert.True(same.Run!.Status == RunStatus.Succeeded, same.Run.Error);
        Assert.Equal(1, Updated(same, EntityType.Orders));
        await AssertExactAsync(harness, connection, store, "after a change in the cursor's second");
    }

    [Theory]
    [InlineData("json2")]
    [InlineData("jsonrpc")]
    public async Task An_expired_API_key_fails_the_run_and_turns_the_connection_action_required(string api)
    {
        await using var harness = new SyncHarness(storage, simulator, "odookey" + api);
        var storeId = $"odoo-key-{api}";
        var (connection, store) = await harness.AddStoreAsync(MarketplaceNames.Odoo, storeId, new SimStoreConfig { Orders = 20, Products = 10, Customers = 5, Seed = 102 },
            settings: new Dictionary<string, string> { ["api"] = api, ["database"] = storeId, ["login"] = "admin" });
        store.ApiKeyExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);

        var run = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);

        Assert.Equal((RunStatus.Failed, MarketplaceErrorKind.Auth), (run.Run!.Status, run.Run.ErrorKind));
        var stored = await harness.Services.GetRequiredService<IConnectionStore>().GetAsync(connection.Id, CancellationToken.None);
        Assert.Equal(ConnectionHealth.NeedsAttention, stored!.Health);
        Assert.Empty((await harness.SnapshotAsync(connection.Id)).SelectMany(t => t.Value));
    }

    private static long Updated(SyncOutcome outcome, EntityType type) => outcome.Run!.Entity(type)!.Counters.Updated;

    private static async Task AssertExactAsync(SyncHarness harness, Connection connection, SimStore store, string when)
    {
        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot.GetValueOrDefault(type) ?? [], $"odoo {type.ToWire()} {when}");
        }
    }
}

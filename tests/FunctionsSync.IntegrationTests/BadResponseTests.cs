using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>Malformed JSON, a missing field and refused credentials fail the run or the record, with a reason, and change no data.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class BadResponseTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    private static readonly SimStoreConfig Size = new() { Orders = 700, Products = 120, Customers = 60, Seed = 9 };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Malformed_json_fails_the_run_with_the_reason_and_leaves_data_and_cursors_untouched()
    {
        await using var harness = new SyncHarness(storage, simulator, "badjson", new Dictionary<string, string?> { ["Sync:PageSize"] = "100" });
        var (connection, store) = await SyncedStoreAsync(harness, "woocommerce", "bad-json");
        var before = await harness.SnapshotAsync(connection.Id);
        var cursorsBefore = await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None);
        store.Mutate(SimKind.Orders, 300, DateTimeOffset.UtcNow.AddMinutes(-5));

        // The third page comes back cut off.
        var outcome = await RunWithFaultAsync(harness, connection.Id, SyncMode.Incremental, new SimFaults { MalformedResponses = 1 }, afterPages: 2);

        Assert.Equal(RunStatus.Failed, outcome.Run!.Status);
        Assert.Equal(MarketplaceErrorKind.BadResponse, outcome.Run.ErrorKind);
        Assert.Contains("woocommerce orders", outcome.Run.Error);
        Assert.Contains("malformed JSON", outcome.Run.Error);
        var after = await harness.SnapshotAsync(connection.Id);
        // The two good pages were stored; nothing else moved, and the order cursor did not advance past the failure.
        var rewritten = after[EntityType.Orders].Count(r => r.Value.WrittenAt != before[EntityType.Orders][r.Key].WrittenAt);
        Assert.Equal(outcome.Run.Entity(EntityType.Orders)!.Counters.Updated, rewritten);
        Assert.Equal(before[EntityType.Orders].Count, after[EntityType.Orders].Count);
        var cursorsAfter = await harness.State.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None);
        Assert.Equal(cursorsBefore[EntityType.Orders].HighWaterMark, cursorsAfter[EntityType.Orders].HighWaterMark);

        // The next run reads the changes again and ends with the simulator's data.
        var retry = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, retry.Run!.Status);
        Expected.Matches(Expected.For(store, EntityType.Orders), (await harness.SnapshotAsync(connection.Id))[EntityType.Orders], "orders after retry");
    }

    [Fact]
    public async Task A_record_missing_a_field_is_rejected_with_its_reason_and_the_rest_is_untouched()
    {
        await using var harness = new SyncHarness(storage, simulator, "badfield");
        var (connection, store) = await SyncedStoreAsync(harness, "shopify", "bad-field");
        var before = await harness.SnapshotAsync(connection.Id);

        simulator.State.Faults = new SimFaults { DropField = "total_price", DropEveryNth = 7 };
        var outcome = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        simulator.State.Faults = new SimFaults();

        Assert.Equal(RunStatus.Partial, outcome.Run!.Status);
        var orders = outcome.Run.Entity(EntityType.Orders)!.Counters;
        Assert.Equal(Size.Orders / 7, orders.Failed);
        Assert.Equal(Size.Orders - Size.Orders / 7, orders.Unchanged);
        Assert.Equal(0, outcome.Run.Counters.Created + outcome.Run.Counters.Updated);
        Assert.Contains(outcome.Run.RecordErrors, e => e.Contains($"shopify orders page record {SimCatalog.OrderId(6)}: missing field 'total_price'"));

        var after = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Assert.Equal(before[type].Count, after[type].Count);
            Assert.All(after[type], r => Assert.Equal(before[type][r.Key].WrittenAt, r.Value.WrittenAt));
        }
    }

    [Fact]
    public async Task Refused_credentials_fail_the_run_flag_the_connection_and_write_nothing()
    {
        await using var harness = new SyncHarness(storage, simulator, "badauth");
        var (connection, _) = await SyncedStoreAsync(harness, "amazon", "bad-auth");
        var before = await harness.SnapshotAsync(connection.Id);
        simulator.State.ClearRequests();

        await harness.Connections.UpdateAsync(connection.Id, c => c with { Credentials = new Dictionary<string, string> { ["accessToken"] = "revoked" } }, CancellationToken.None);
        var outcome = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);

        Assert.Equal(RunStatus.Failed, outcome.Run!.Status);
        Assert.Equal(MarketplaceErrorKind.Auth, outcome.Run.ErrorKind);
        Assert.Contains("credentials refused (403 Forbidden", outcome.Run.Error);
        // Not retried: one request.
        Assert.Single(simulator.State.Requests, r => r.StoreId == "bad-auth");
        var flagged = await harness.Connections.GetAsync(connection.Id, CancellationToken.None);
        Assert.Equal(ConnectionHealth.NeedsAttention, flagged!.Health);
        Assert.Equal(outcome.Run.Error, flagged.LastError);

        var after = await harness.SnapshotAsync(connection.Id);
        Assert.All(after[EntityType.Orders], r => Assert.Equal(before[EntityType.Orders][r.Key].WrittenAt, r.Value.WrittenAt));
        var lease = await harness.State.GetLeaseAsync(connection.Id, SyncLane.Main, CancellationToken.None);
        Assert.Null(lease!.ActiveRunId);
    }

    [Fact]
    public async Task A_base_url_whose_name_resolves_to_loopback_is_refused_at_connect_time_and_no_credential_leaves()
    {
        // Stored past the API (which refuses "localhost" by name): the connect-time check is what stops it. The
        // allow-list names 127.0.0.1 (the simulator), not the name localhost, which resolves to the same address.
        await using var harness = new SyncHarness(storage, simulator, "badtarget");
        var (connection, _) = await harness.AddStoreAsync("shopify", "bad-target", Size);
        var local = new Uri(simulator.BaseUrlFor("shopify", "bad-target")) is var uri ? $"http://localhost:{uri.Port}{uri.AbsolutePath}" : "";
        await harness.Connections.UpdateAsync(connection.Id, c => c with { Settings = new Dictionary<string, string>(c.Settings) { ["baseUrl"] = local } }, CancellationToken.None);
        simulator.State.ClearRequests();

        var outcome = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);

        Assert.Equal(RunStatus.Failed, outcome.Run!.Status);
        Assert.Contains("internal address", outcome.Run.Error);
        Assert.DoesNotContain(simulator.State.Requests, r => r.StoreId == "bad-target");
    }

    private static async Task<(Connection, SimStore)> SyncedStoreAsync(SyncHarness harness, string marketplace, string storeId)
    {
        // Shopify on REST: the faults name REST's wire fields and count its pages.
        var (connection, store) = await harness.AddStoreAsync(marketplace, storeId, Size, settings: marketplace == "shopify" ? SyncHarness.Rest : null);
        var first = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, first.Run!.Status);
        return (connection, store);
    }

    /// <summary>Runs with the fault switched on once <paramref name="afterPages"/> pages of the run were checkpointed.</summary>
    private async Task<SyncOutcome> RunWithFaultAsync(SyncHarness harness, string connectionId, SyncMode mode, SimFaults faults, int afterPages)
    {
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 150 };
        using var done = new CancellationTokenSource();
        // Armed once the run has checkpointed that many pages; a run that ends first leaves it unarmed.
        var arm = Task.Run(async () =>
        {
            try
            {
                await Eventually.WaitForAsync(
                    async () => (await harness.State.GetLeaseAsync(connectionId, SyncLane.Main, CancellationToken.None))?.ActiveRunId is { } id
                        && await harness.State.GetRunAsync(id, CancellationToken.None) is { PageSeq: var seq } && seq >= afterPages,
                    armed => armed, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(5), done.Token);
                simulator.State.Faults = faults;
            }
            catch (OperationCanceledException)
            {
            }
        });
        var outcome = await harness.Syncer.RunAsync(new SyncRequest(connectionId, mode), CancellationToken.None);
        await done.CancelAsync();
        await arm;
        simulator.State.Faults = new SimFaults();
        return outcome;
    }
}

using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsSync.IntegrationTests;

/// <summary>One runner per connection: racing runners, expired leases, fencing of a runner that lost its lease.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class LeaseTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    private static readonly SimStoreConfig Size = new() { Orders = 1_000, Products = 100, Customers = 50, Seed = 3 };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Two_runners_racing_for_one_connection_only_one_syncs_and_the_other_backs_off()
    {
        await using var harness = new SyncHarness(storage, simulator, "leaserace", new Dictionary<string, string?> { ["Sync:PageSize"] = "100" });
        // REST: the race is counted in its pages.
        var (connection, store) = await harness.AddStoreAsync("shopify", "lease-race", Size, settings: SyncHarness.Rest);
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 20 };
        simulator.State.ClearRequests();

        // Two separate service graphs, as two replicas would have.
        await using var other = new SyncHarness(storage, simulator, "leaserace", new Dictionary<string, string?> { ["Sync:PageSize"] = "100" });
        using var start = new Barrier(2);
        var outcomes = await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); return harness.Syncer.RunAsync(new SyncRequest(connection.Id, Owner: "replica-a"), CancellationToken.None); }),
            Task.Run(() => { start.SignalAndWait(); return other.Syncer.RunAsync(new SyncRequest(connection.Id, Owner: "replica-b"), CancellationToken.None); }));

        Assert.Single(outcomes, o => o.Kind == SyncOutcomeKind.Finished);
        var loser = Assert.Single(outcomes, o => o.Kind == SyncOutcomeKind.LeaseHeld);
        Assert.Null(loser.Run);
        Assert.Contains("replica-", loser.Message);

        var winner = outcomes.Single(o => o.Kind == SyncOutcomeKind.Finished).Run!;
        Assert.Equal(RunStatus.Succeeded, winner.Status);
        Assert.Equal(Expected.For(store, Core.Records.EntityType.Orders).Count, winner.Entity(Core.Records.EntityType.Orders)!.Counters.Created);
        var runs = await harness.State.ListRunsAsync(connection.Id, 10, CancellationToken.None);
        Assert.Single(runs);

        // Every page was fetched once: the loser sent nothing.
        var orderPages = simulator.State.Requests.Count(r => r.StoreId == "lease-race" && r.Path.Contains("orders.json"));
        Assert.Equal(10, orderPages);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_the_old_holder_can_no_longer_write()
    {
        // The lease expires on a fake clock: the takeover comes once the clock has passed its expiry, not after a sleep.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = new SyncHarness(storage, simulator, "leaseexpiry", replace: s => s.AddSingleton<TimeProvider>(clock));
        var (connection, store) = await harness.AddStoreAsync("etsy", "lease-expiry", Size);

        var ghost = await harness.State.TryAcquireLeaseAsync(connection.Id, SyncLane.Main, "ghost", TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.True(ghost.Acquired);

        var blocked = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.Equal(SyncOutcomeKind.LeaseHeld, blocked.Kind);
        Assert.Contains("ghost", blocked.Message);

        clock.Advance(TimeSpan.FromSeconds(0.9));
        Assert.Equal(SyncOutcomeKind.LeaseHeld, (await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None)).Kind);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        var takeover = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.Equal(SyncOutcomeKind.Finished, takeover.Kind);
        Assert.Equal(RunStatus.Succeeded, takeover.Run!.Status);

        // The ghost wakes up and tries to checkpoint with its old lease: fenced off, nothing written.
        var stale = new SyncRun
        {
            RunId = RunIds.New(connection.Id, clock.GetUtcNow()),
            ConnectionId = connection.Id,
            OrganizationId = connection.OrganizationId,
            Marketplace = connection.Marketplace,
            Mode = SyncMode.Full,
            Trigger = RunTrigger.Manual,
            EntityTypes = [],
        };
        await Assert.ThrowsAsync<LeaseLostException>(() => harness.State.CheckpointAsync(ghost.Lease!, new Checkpoint(stale, [], clock.GetUtcNow().AddMinutes(1), false, stale.RunId), CancellationToken.None));
        Assert.Null(await harness.State.GetRunAsync(stale.RunId, CancellationToken.None));
        Assert.Equal(takeover.Run.RunId, (await harness.State.ListRunsAsync(connection.Id, 1, CancellationToken.None)).Single().RunId);
    }
}

using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Storage.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>The sync state store's promises, against Azurite: fencing, one queued run, and the state listing's index.</summary>
[Collection(QuietCollection.Name)]
public sealed class SyncStateStoreContractTests(AzuriteFixture storage)
{
    [Fact]
    public async Task A_checkpoint_on_a_stale_lease_is_refused_as_lease_lost_and_writes_nothing()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cstale"));
        var state = services.GetRequiredService<ISyncStateStore>();
        var first = (await state.TryAcquireLeaseAsync("cstale1", SyncLane.Main, "runner-a", TimeSpan.FromSeconds(30), CancellationToken.None)).Lease!;
        // The same runner renews: the version it held before is stale now.
        var renewed = (await state.TryAcquireLeaseAsync("cstale1", SyncLane.Main, "runner-a", TimeSpan.FromSeconds(30), CancellationToken.None)).Lease!;
        Assert.NotEqual(first.ETag, renewed.ETag);

        var run = NewRun("cstale1", RunStatus.Running);
        await Assert.ThrowsAsync<LeaseLostException>(() =>
            state.CheckpointAsync(first, new Checkpoint(run, [new EntityCursor { EntityType = EntityType.Orders, PageToken = "p2" }], DateTimeOffset.UtcNow.AddMinutes(1), false, run.RunId), CancellationToken.None));

        Assert.Null(await state.GetRunAsync(run.RunId, CancellationToken.None));
        Assert.Empty(await state.GetCursorsAsync("cstale1", SyncLane.Main, CancellationToken.None));
        await state.CheckpointAsync(renewed, new Checkpoint(run, [], DateTimeOffset.UtcNow.AddMinutes(1), false, run.RunId), CancellationToken.None);
        Assert.NotNull(await state.GetRunAsync(run.RunId, CancellationToken.None));
    }

    [Fact]
    public async Task Two_racing_queue_requests_leave_exactly_one_run_in_flight()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cqueue"));
        var state = services.GetRequiredService<ISyncStateStore>();
        for (var round = 0; round < 5; round++)
        {
            var connectionId = $"cqueue{round}";
            var runs = Enumerable.Range(0, 2).Select(i => NewRun(connectionId, RunStatus.Queued, DateTimeOffset.UtcNow.AddMilliseconds(i))).ToList();
            using var start = new Barrier(2);
            var results = await Task.WhenAll(runs.Select(run => Task.Run(() =>
            {
                start.SignalAndWait();
                return state.TryQueueRunAsync(run, null, null, CancellationToken.None);
            })));

            var winner = Assert.Single(results, r => r.Queued);
            var loser = Assert.Single(results, r => !r.Queued);
            var active = (await state.GetConnectionStateAsync(connectionId, CancellationToken.None))!.ActiveRunId;
            Assert.Equal(active, loser.ActiveRunId);
            Assert.Single(await state.ListRunsAsync(connectionId, 10, CancellationToken.None));
        }
    }

    [Fact]
    public async Task The_state_listing_reads_the_index_and_corrects_a_copy_that_shows_a_finished_run_as_active()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cindex"));
        var state = services.GetRequiredService<ISyncStateStore>();
        var run = NewRun("cindex1", RunStatus.Queued);
        Assert.True((await state.TryQueueRunAsync(run, null, null, CancellationToken.None)).Queued);
        Assert.Equal(run.RunId, (await state.ListConnectionStatesAsync(CancellationToken.None))["cindex1"].ActiveRunId);

        var lease = (await state.TryAcquireLeaseAsync("cindex1", SyncLane.Main, "runner", TimeSpan.FromSeconds(30), CancellationToken.None)).Lease!;
        var done = run with { Status = RunStatus.Succeeded, FinishedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        await state.CheckpointAsync(lease, new Checkpoint(done, [], DateTimeOffset.UtcNow, true, null), CancellationToken.None);
        var listed = (await state.ListConnectionStatesAsync(CancellationToken.None))["cindex1"];
        Assert.Null(listed.ActiveRunId);
        Assert.Equal(RunStatus.Succeeded, listed.LastRunStatus);

        // A copy left behind by a crash between the lease write and the index write: the listing reads the lease row.
        var index = services.GetRequiredService<ConnectionStateIndex>();
        await index.WriteAsync(new LeaseRow("cindex1") { ActiveRunId = run.RunId }, CancellationToken.None);
        Assert.Null((await state.ListConnectionStatesAsync(CancellationToken.None))["cindex1"].ActiveRunId);
        Assert.Null((await index.GetAsync("cindex1", CancellationToken.None))!.ActiveRunId);
    }

    [Fact]
    public async Task The_backfill_lane_has_its_own_lease_active_run_and_cursors_and_leaves_the_main_lane_and_the_index_alone()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("clanes"));
        var state = services.GetRequiredService<ISyncStateStore>();
        var main = NewRun("clanes1", RunStatus.Queued);
        var backfill = NewRun("clanes1", RunStatus.Queued, DateTimeOffset.UtcNow.AddMilliseconds(1)) with
        {
            Mode = SyncMode.Backfill,
            Window = new BackfillWindow(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1)),
        };
        Assert.True((await state.TryQueueRunAsync(main, null, null, CancellationToken.None)).Queued);
        Assert.True((await state.TryQueueRunAsync(backfill, null, null, CancellationToken.None)).Queued);
        // One run in flight per lane: a second backfill is refused, naming the first.
        var another = NewRun("clanes1", RunStatus.Queued, DateTimeOffset.UtcNow.AddMilliseconds(2)) with { Mode = SyncMode.Backfill, Window = backfill.Window };
        Assert.Equal(backfill.RunId, (await state.TryQueueRunAsync(another, null, null, CancellationToken.None)).ActiveRunId);

        // Both lanes are held at once, each by its own runner.
        var mainLease = (await state.TryAcquireLeaseAsync("clanes1", SyncLane.Main, "runner-a", TimeSpan.FromMinutes(1), CancellationToken.None)).Lease!;
        var backfillLease = (await state.TryAcquireLeaseAsync("clanes1", SyncLane.Backfill, "runner-b", TimeSpan.FromMinutes(1), CancellationToken.None)).Lease!;
        Assert.Equal((main.RunId, backfill.RunId), (mainLease.ActiveRunId, backfillLease.ActiveRunId));
        Assert.Null((await state.TryAcquireLeaseAsync("clanes1", SyncLane.Backfill, "runner-c", TimeSpan.FromMinutes(1), CancellationToken.None)).Lease);

        // A backfill's cursors are its own, and its end is not the connection's last run.
        await state.CheckpointAsync(backfillLease, new Checkpoint(
            backfill with { Status = RunStatus.Succeeded, FinishedAt = DateTimeOffset.UtcNow }, [new EntityCursor { EntityType = EntityType.Orders, HighWaterMark = backfill.Window!.To }],
            DateTimeOffset.UtcNow, Release: true, ActiveRunId: null), CancellationToken.None);
        Assert.Empty(await state.GetCursorsAsync("clanes1", SyncLane.Main, CancellationToken.None));
        Assert.Equal(backfill.Window.To, (await state.GetCursorsAsync("clanes1", SyncLane.Backfill, CancellationToken.None))[EntityType.Orders].HighWaterMark);
        var listed = (await state.ListConnectionStatesAsync(CancellationToken.None))["clanes1"];
        Assert.Equal((main.RunId, null), (listed.ActiveRunId, listed.LastRunId));
        Assert.Equal(main.RunId, (await state.GetConnectionStateAsync("clanes1", CancellationToken.None))!.ActiveRunId);
        Assert.Equal(2, (await state.ListRunsAsync("clanes1", 10, CancellationToken.None)).Count);
    }

    private static SyncRun NewRun(string connectionId, RunStatus status, DateTimeOffset? at = null) => TestRuns.New(connectionId, at ?? DateTimeOffset.UtcNow, status);
}

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
        var first = (await state.TryAcquireLeaseAsync("cstale1", "runner-a", TimeSpan.FromSeconds(30), CancellationToken.None)).Lease!;
        // The same runner renews: the version it held before is stale now.
        var renewed = (await state.TryAcquireLeaseAsync("cstale1", "runner-a", TimeSpan.FromSeconds(30), CancellationToken.None)).Lease!;
        Assert.NotEqual(first.ETag, renewed.ETag);

        var run = NewRun("cstale1", RunStatus.Running);
        await Assert.ThrowsAsync<LeaseLostException>(() =>
            state.CheckpointAsync(first, new Checkpoint(run, [new EntityCursor { EntityType = EntityType.Orders, PageToken = "p2" }], DateTimeOffset.UtcNow.AddMinutes(1), false, run.RunId), CancellationToken.None));

        Assert.Null(await state.GetRunAsync(run.RunId, CancellationToken.None));
        Assert.Empty(await state.GetCursorsAsync("cstale1", CancellationToken.None));
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

        var lease = (await state.TryAcquireLeaseAsync("cindex1", "runner", TimeSpan.FromSeconds(30), CancellationToken.None)).Lease!;
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

    private static SyncRun NewRun(string connectionId, RunStatus status, DateTimeOffset? at = null) => TestRuns.New(connectionId, at ?? DateTimeOffset.UtcNow, status);
}

using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>A run stopped between pages, by cancellation or by killing its process, resumes to the same data.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ResumeTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    private static readonly SimStoreConfig Size = new() { Orders = 3_000, Products = 600, Customers = 300, Seed = 5 };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Cancelled_run_resumes_from_its_last_page_without_storing_anything_twice()
    {
        await using var harness = new SyncHarness(storage, simulator, "resumecancel", new Dictionary<string, string?> { ["Sync:PageSize"] = "100" });
        var (connection, store) = await harness.AddStoreAsync("shopify", "resume-cancel", Size);
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 30 };

        using var cts = new CancellationTokenSource();
        var watcher = CancelAfterPagesAsync(harness, connection.Id, 5, cts);
        var first = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), cts.Token);
        await watcher;
        Assert.Equal(SyncOutcomeKind.Interrupted, first.Kind);
        var interrupted = await harness.State.GetRunAsync(first.Run!.RunId, CancellationToken.None);
        Assert.Equal(RunStatus.Interrupted, interrupted!.Status);
        Assert.InRange(interrupted.PageSeq, 5, 40);
        Assert.True(interrupted.Counters.Created < Total(store));

        simulator.State.Faults = new SimFaults();
        var resumed = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Incremental), CancellationToken.None);
        await AssertResumedCleanlyAsync(harness, store, connection.Id, first.Run.RunId, resumed);
    }

    [Fact]
    public async Task Run_killed_in_another_process_is_taken_over_after_its_lease_expires_and_resumed()
    {
        var leaseSeconds = 3;
        await using var harness = new SyncHarness(storage, simulator, "resumekill", new Dictionary<string, string?>
        {
            ["Sync:PageSize"] = "100",
            ["Sync:LeaseDuration"] = TimeSpan.FromSeconds(leaseSeconds).ToString("c"),
        });
        var (connection, store) = await harness.AddStoreAsync("woocommerce", "resume-kill", Size);
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 50 };

        using (var runner = TestRunnerProcess.Start(harness, connection.Id))
        {
            // Killed six pages in: a runner that ends by itself first fails the wait with what it wrote.
            await Eventually.WaitForAsync(
                async () => (Exited: runner.Process.HasExited, Seq: await ActivePageSeqAsync(harness, connection.Id)),
                seen => seen.Seq >= 6 || (seen.Exited ? throw new Xunit.Sdk.XunitException($"the runner ended ({runner.Process.ExitCode}) before it could be killed: {runner.Output}") : false),
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            await runner.KillAsync();
        }

        simulator.State.Faults = new SimFaults();
        var leaseAfterKill = await harness.State.GetLeaseAsync(connection.Id, SyncLane.Main, CancellationToken.None);
        var killedRun = await harness.State.GetRunAsync(leaseAfterKill!.ActiveRunId!, CancellationToken.None);
        Assert.Equal(RunStatus.Running, killedRun!.Status);

        // The dead runner's lease still stands: a new runner backs off until it expires, then resumes the run.
        var early = await harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None);
        Assert.Equal(SyncOutcomeKind.LeaseHeld, early.Kind);
        var resumed = await Eventually.WaitForAsync(
            () => harness.Syncer.RunAsync(new SyncRequest(connection.Id), CancellationToken.None), o => o.Kind != SyncOutcomeKind.LeaseHeld, TimeSpan.FromSeconds(30));
        Assert.True(DateTimeOffset.UtcNow >= leaseAfterKill.ExpiresAt, "the run was taken over before its lease expired");
        await AssertResumedCleanlyAsync(harness, store, connection.Id, killedRun.RunId, resumed);
    }

    private static long Total(SimStore store) => EntityTypes.All.Sum(t => (long)Expected.For(store, t).Count);

    private static async Task AssertResumedCleanlyAsync(SyncHarness harness, SimStore store, string connectionId, string runId, SyncOutcome resumed)
    {
        Assert.Equal(SyncOutcomeKind.Finished, resumed.Kind);
        Assert.Equal(runId, resumed.Run!.RunId);
        Assert.True(resumed.Run.Status == RunStatus.Succeeded, resumed.Run.Error);
        Assert.Equal(2, resumed.Run.Attempts);
        Assert.Equal(SyncMode.Full, resumed.Run.Mode);

        // Every record created exactly once across both attempts, and stored exactly once.
        Assert.Equal(Total(store), resumed.Run.Counters.Created);
        Assert.Equal(0, resumed.Run.Counters.Updated);
        var snapshot = await harness.SnapshotAsync(connectionId);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"{store.Marketplace} {type.ToWire()} after resume");
        }

        var lease = await harness.State.GetLeaseAsync(connectionId, SyncLane.Main, CancellationToken.None);
        Assert.Null(lease!.ActiveRunId);
        Assert.Equal("", lease.Owner);
    }

    private static async Task CancelAfterPagesAsync(SyncHarness harness, string connectionId, int pages, CancellationTokenSource cts)
    {
        await Eventually.WaitForAsync(() => ActivePageSeqAsync(harness, connectionId), seq => seq >= pages, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10));
        await cts.CancelAsync();
    }

    /// <summary>The page sequence of the connection's active run, or -1 while none runs.</summary>
    private static async Task<long> ActivePageSeqAsync(SyncHarness harness, string connectionId) =>
        (await harness.State.GetLeaseAsync(connectionId, SyncLane.Main, CancellationToken.None))?.ActiveRunId is { } id
        && await harness.State.GetRunAsync(id, CancellationToken.None) is { } run ? run.PageSeq : -1;
}

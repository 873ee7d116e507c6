using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Storage;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>A job whose workers keep dying goes to the poison queue and its run fails with the reason.</summary>
[Collection(QuietCollection.Name)]
public sealed class PoisonQueueTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_job_received_too_often_goes_to_the_poison_queue_and_frees_the_connection()
    {
        await using var harness = new SyncHarness(storage, simulator, "poison", new Dictionary<string, string?> { ["Workers:MaxDequeueCount"] = "2" });
        var (connection, _) = await harness.AddStoreAsync("shopify", "poison", new SimStoreConfig { Orders = 50, Products = 10, Customers = 5 });
        var launched = await harness.Services.GetRequiredService<RunLauncher>()
            .LaunchAsync(connection, SyncMode.Incremental, null, RunTrigger.Manual, null, TimeSpan.Zero, CancellationToken.None);
        var queue = harness.Services.GetRequiredService<IJobQueue>();

        // Two workers take the message and die without finishing (it reappears each time).
        for (var i = 0; i < 2; i++)
        {
            var taken = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.NotNull(taken);
            await taken.AbandonAsync(TimeSpan.Zero, CancellationToken.None);
        }

        var third = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(3, third!.DequeueCount);
        var outcome = await harness.Services.GetRequiredService<JobProcessor>().ProcessAsync(third, "test-worker", CancellationToken.None);

        Assert.Equal(JobOutcome.Poisoned, outcome);
        var run = await harness.State.GetRunAsync(launched.Run!.RunId, CancellationToken.None);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Contains("poison", run.Error);
        Assert.Null((await harness.State.GetLeaseAsync(connection.Id, SyncLane.Main, CancellationToken.None))!.ActiveRunId);
        // Its sync.failed event was written with the failure, for the sweeper to announce.
        var waiting = await harness.Services.GetRequiredService<IOutbox>().ListWaitingAsync(DateTimeOffset.UtcNow.AddMinutes(1), 100, CancellationToken.None);
        Assert.Contains(waiting, e => e.ConnectionId == connection.Id && e.Type == WebhookEventTypes.SyncFailed && e.Payload.Contains(launched.Run.RunId));
        Assert.Null(await queue.ReceiveAsync(TimeSpan.FromSeconds(1), CancellationToken.None));

        var dead = await harness.Services.GetRequiredService<StorageProbe>().ReceiveMessageAsync(TableNames.JobQueue + StorageJobQueue.PoisonSuffix, CancellationToken.None);
        Assert.NotNull(dead);
        Assert.Contains(launched.Run.RunId, dead);
        Assert.Contains("poison", dead);

        // The connection is free for the next run.
        var next = await harness.Services.GetRequiredService<RunLauncher>()
            .LaunchAsync(connection, SyncMode.Incremental, null, RunTrigger.Manual, null, TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(next.Run);
    }
}

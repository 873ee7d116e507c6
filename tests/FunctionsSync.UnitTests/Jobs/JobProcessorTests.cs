using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Concurrency;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsSync.UnitTests.Jobs;

public sealed class JobProcessorTests
{
    private static readonly SyncJob Job = new("c1-0001", "c1", "o1", SyncMode.Incremental, [], RunTrigger.Schedule, null);

    private readonly Mock<IConnectionStore> connections = new();
    private readonly Mock<ISyncStateStore> state = new();
    private readonly Mock<IOrganizationSlots> slots = new();
    private readonly Mock<IJobMessage> message = new();

    private JobProcessor Processor()
    {
        var syncer = new ConnectionSyncer(connections.Object, state.Object, Mock.Of<IMarketplaceAdapterRegistry>(), Mock.Of<IIngestionDispatcher>(),
            new ConflictRecorder(Mock.Of<IConflictStore>(), Options.Create(new ConflictOptions()), TimeProvider.System), Mock.Of<IWebhookSignal>(),
            Options.Create(new SyncOptions()), TimeProvider.System, NullLogger<ConnectionSyncer>.Instance);
        return new JobProcessor(connections.Object, state.Object, slots.Object, syncer,
            Options.Create(new WorkerOptions { MaxDequeueCount = 5, BusyRetryDelay = TimeSpan.FromSeconds(7) }), Options.Create(new SchedulerOptions { OrganizationConcurrency = 5 }),
            Options.Create(new SyncOptions()), TimeProvider.System, NullLogger<JobProcessor>.Instance);
    }

    [Fact]
    public async Task A_message_received_more_than_five_times_fails_its_run_and_goes_to_poison()
    {
        message.SetupGet(m => m.Job).Returns(Job);
        message.SetupGet(m => m.DequeueCount).Returns(6);

        Assert.Equal(JobOutcome.Poisoned, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));

        state.Verify(s => s.FailUnheldRunAsync("c1-0001", It.Is<string>(r => r.Contains("5 times")), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()));
        message.Verify(m => m.MoveToPoisonAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()));
        message.Verify(m => m.CompleteAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_body_that_is_not_a_job_goes_straight_to_poison()
    {
        message.SetupGet(m => m.Job).Returns((SyncJob?)null);
        Assert.Equal(JobOutcome.Poisoned, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));
        message.Verify(m => m.MoveToPoisonAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task A_job_whose_run_already_finished_is_deleted()
    {
        message.SetupGet(m => m.Job).Returns(Job);
        message.SetupGet(m => m.DequeueCount).Returns(1);
        state.Setup(s => s.GetRunAsync("c1-0001", It.IsAny<CancellationToken>())).ReturnsAsync(new SyncRun
        {
            RunId = "c1-0001", ConnectionId = "c1", OrganizationId = "o1", Marketplace = "shopify", Mode = SyncMode.Incremental,
            Trigger = RunTrigger.Schedule, EntityTypes = [], Status = RunStatus.Succeeded,
        });

        Assert.Equal(JobOutcome.Completed, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));
        message.Verify(m => m.CompleteAsync(It.IsAny<CancellationToken>()));
        slots.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task An_organization_at_its_cap_defers_the_job_without_counting_a_dequeue()
    {
        message.SetupGet(m => m.Job).Returns(Job);
        message.SetupGet(m => m.DequeueCount).Returns(1);
        state.Setup(s => s.GetRunAsync("c1-0001", It.IsAny<CancellationToken>())).ReturnsAsync(new SyncRun
        {
            RunId = "c1-0001", ConnectionId = "c1", OrganizationId = "o1", Marketplace = "shopify", Mode = SyncMode.Incremental,
            Trigger = RunTrigger.Schedule, EntityTypes = [], Status = RunStatus.Queued,
        });
        connections.Setup(c => c.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(new Connection
        {
            Id = "c1", OrganizationId = "o1", Marketplace = "shopify", ExternalStoreId = "s", Name = "n", SyncToken = "t",
        });
        slots.Setup(s => s.TryTakeAsync("o1", 5, "w", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync((SlotLease?)null);

        Assert.Equal(JobOutcome.Deferred, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));
        message.Verify(m => m.DeferAsync(TimeSpan.FromSeconds(7), It.IsAny<CancellationToken>()));
        state.Verify(s => s.TryAcquireLeaseAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

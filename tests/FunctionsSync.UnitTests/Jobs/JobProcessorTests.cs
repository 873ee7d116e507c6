using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
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
        var syncer = Sync.TestSyncer.Create(connections.Object, state.Object, Mock.Of<IMarketplaceAdapterRegistry>(), Mock.Of<IIngestionDispatcher>(),
            Mock.Of<IConflictStore>(), Mock.Of<IWebhookSignal>(), new SyncOptions());
        var step = new RunStep(connections.Object, state.Object, syncer, new RunLauncher(state.Object, Mock.Of<IRunDispatcher>(), TestEvents.Create(), TimeProvider.System),
            new RunCancellation(state.Object, TimeProvider.System, NullLogger<RunCancellation>.Instance), Options.Create(new SyncOptions()), TimeProvider.System);
        return new JobProcessor(state.Object, slots.Object, step,
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
            Id = "c1", OrganizationId = "o1", Marketplace = "shopify", ExternalStoreId = "s", Name = "n", SyncTokenHash = "t",
        });
        slots.Setup(s => s.TryTakeAsync("o1", 5, "w", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync((SlotLease?)null);

        Assert.Equal(JobOutcome.Deferred, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));
        message.Verify(m => m.DeferAsync(TimeSpan.FromSeconds(7), It.IsAny<CancellationToken>()));
        state.Verify(s => s.TryAcquireLeaseAsync(It.IsAny<string>(), It.IsAny<SyncLane>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private static readonly DateTimeOffset PlannedAt = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    private static readonly SyncJob Planned = Job with { PlannedAt = PlannedAt, CycleId = "scheduled-1" };

    private void ConnectionIs(bool enabled = true, ConnectionHealth health = ConnectionHealth.Active) =>
        connections.Setup(c => c.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(new Connection
        {
            Id = "c1", OrganizationId = "o1", Marketplace = "shopify", ExternalStoreId = "s", Name = "n", SyncTokenHash = "t", Enabled = enabled, Health = health,
        });

    [Theory]
    [InlineData(null, "c1-0000")]
    [InlineData("c1-0009", null)]
    public async Task A_scheduled_job_is_dropped_at_start_when_the_connection_synced_since_it_was_planned_or_is_syncing(string? active, string? syncedBy)
    {
        message.SetupGet(m => m.Job).Returns(Planned);
        message.SetupGet(m => m.DequeueCount).Returns(1);
        ConnectionIs();
        state.Setup(s => s.TryQueueRunAsync(It.IsAny<SyncRun>(), null, PlannedAt, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new QueueRunResult(false, active, syncedBy));

        Assert.Equal(JobOutcome.Completed, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));

        message.Verify(m => m.CompleteAsync(It.IsAny<CancellationToken>()));
        slots.VerifyNoOtherCalls();
        state.Verify(s => s.TryAcquireLeaseAsync(It.IsAny<string>(), It.IsAny<SyncLane>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(false, ConnectionHealth.Active)]
    [InlineData(true, ConnectionHealth.NeedsAttention)]
    public async Task A_scheduled_job_of_a_connection_disabled_or_refused_since_planning_is_dropped_without_a_write(bool enabled, ConnectionHealth health)
    {
        message.SetupGet(m => m.Job).Returns(Planned);
        message.SetupGet(m => m.DequeueCount).Returns(1);
        ConnectionIs(enabled, health);

        Assert.Equal(JobOutcome.Completed, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));

        state.Verify(s => s.TryQueueRunAsync(It.IsAny<SyncRun>(), It.IsAny<ConnectionSyncState?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<CancellationToken>()), Times.Never);
        message.Verify(m => m.CompleteAsync(It.IsAny<CancellationToken>()));
        slots.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_scheduled_job_records_its_run_at_start_under_the_planned_id_and_then_goes_on_like_any_queued_run()
    {
        message.SetupGet(m => m.Job).Returns(Planned);
        message.SetupGet(m => m.DequeueCount).Returns(1);
        ConnectionIs();
        SyncRun? recorded = null;
        state.Setup(s => s.TryQueueRunAsync(It.IsAny<SyncRun>(), null, PlannedAt, It.IsAny<CancellationToken>()))
            .Callback<SyncRun, ConnectionSyncState?, DateTimeOffset?, CancellationToken>((run, _, _, _) => recorded = run)
            .ReturnsAsync(new QueueRunResult(true, null));
        slots.Setup(s => s.TryTakeAsync("o1", 5, "w", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync((SlotLease?)null);

        Assert.Equal(JobOutcome.Deferred, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));

        Assert.NotNull(recorded);
        Assert.Equal(("c1-0001", RunStatus.Queued, RunTrigger.Schedule, PlannedAt), (recorded.RunId, recorded.Status, recorded.Trigger, recorded.CreatedAt));
        Assert.Equal(EntityTypes.All, recorded.EntityTypes);
        message.Verify(m => m.DeferAsync(TimeSpan.FromSeconds(7), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task A_second_copy_of_a_scheduled_job_that_finds_its_own_run_recorded_goes_on_instead_of_dropping_it()
    {
        message.SetupGet(m => m.Job).Returns(Planned);
        message.SetupGet(m => m.DequeueCount).Returns(1);
        ConnectionIs();
        state.Setup(s => s.TryQueueRunAsync(It.IsAny<SyncRun>(), null, PlannedAt, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new QueueRunResult(false, "c1-0001"));
        slots.Setup(s => s.TryTakeAsync("o1", 5, "w", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ReturnsAsync((SlotLease?)null);

        Assert.Equal(JobOutcome.Deferred, await Processor().ProcessAsync(message.Object, "w", CancellationToken.None));

        message.Verify(m => m.CompleteAsync(It.IsAny<CancellationToken>()), Times.Never);
    }
}

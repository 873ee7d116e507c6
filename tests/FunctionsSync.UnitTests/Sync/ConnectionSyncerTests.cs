using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsSync.UnitTests.Sync;

public sealed class ConnectionSyncerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Connection connection = new()
    {
        Id = "c1", OrganizationId = "o1", Marketplace = "shopify", ExternalStoreId = "s1", Name = "Shop", SyncTokenHash = "st",
    };

    private readonly Mock<IConnectionStore> connections = new();
    private readonly List<Connection> written = [];
    private readonly Mock<ISyncStateStore> state = new();
    private readonly Mock<IMarketplaceAdapter> adapter = new();
    private readonly Mock<IIngestionDispatcher> ingestion = new();
    private readonly List<Checkpoint> checkpoints = [];
    private readonly Mock<IConflictStore> conflictStore = new();
    private readonly Mock<IWebhookSignal> signal = new();
    private readonly Dictionary<EntityType, EntityCursor> cursors = [];

    public ConnectionSyncerTests()
    {
        connections.Setup(c => c.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(connection);
        // A conditional update applies its change to the connection as stored (what GetAsync returns).
        connections.Setup(c => c.UpdateAsync("c1", It.IsAny<Func<Connection, Connection?>>(), It.IsAny<CancellationToken>()))
            .Returns(async (string id, Func<Connection, Connection?> change, CancellationToken token) =>
            {
                var stored = (await connections.Object.GetAsync(id, token))!;
                var changed = change(stored);
                if (changed is not null)
                {
                    written.Add(changed);
                }

                return changed ?? stored;
            });
        conflictStore.Setup(c => c.GetManyAsync("c1", It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, Conflict>());
        adapter.SetupGet(a => a.Marketplace).Returns("shopify");
        adapter.SetupGet(a => a.SupportedEntityTypes).Returns(new HashSet<EntityType> { EntityType.Orders, EntityType.Products });
        adapter.SetupGet(a => a.Requirements).Returns(new ConnectionRequirements { Credentials = [], PageSize = CommonSettings.PageSize(250) });
        // No feed is reconciled here (deletions have their own tests over storage).
        adapter.SetupGet(a => a.FullReadListsAll).Returns(new HashSet<EntityType>());
        state.Setup(s => s.TryAcquireLeaseAsync("c1", SyncLane.Main, It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, SyncLane _, string owner, TimeSpan d, CancellationToken _) => new LeaseAttempt(new SyncLease(id, owner, T0 + d, "e0", null), null, null));
        state.Setup(s => s.GetCursorsAsync("c1", SyncLane.Main, It.IsAny<CancellationToken>())).ReturnsAsync(() => new Dictionary<EntityType, EntityCursor>(cursors));
        state.Setup(s => s.CheckpointAsync(It.IsAny<SyncLease>(), It.IsAny<Checkpoint>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SyncLease lease, Checkpoint cp, CancellationToken _) =>
            {
                checkpoints.Add(cp);
                return lease with { ETag = "e" + checkpoints.Count, ActiveRunId = cp.ActiveRunId };
            });
        ingestion.Setup(i => i.IngestAsync(It.IsAny<IngestContext>(), It.IsAny<IReadOnlyList<CanonicalRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IngestContext _, IReadOnlyList<CanonicalRecord> records, CancellationToken _) => new IngestResult(records.Count, 0, 0, 0, []));
    }

    /// <summary>The syncer with page-by-page writes unless <paramref name="options"/> says otherwise: these tests follow single pages.</summary>
    private ConnectionSyncer Syncer(SyncOptions? options = null, TimeProvider? time = null)
    {
        options ??= new SyncOptions { MinRecordsPerWrite = 1 };
        var registry = new Mock<IMarketplaceAdapterRegistry>();
        registry.Setup(r => r.Get("shopify")).Returns(adapter.Object);
        return TestSyncer.Create(connections.Object, state.Object, registry.Object, ingestion.Object, conflictStore.Object, signal.Object, options, time);
    }

    private static OrderRecord Order(string id, DateTimeOffset at) => new() { ExternalId = id, UpdatedAt = at, Status = "paid", Currency = "USD", Total = 1 };

    private void Feed(EntityType type, params FetchPage[] pages)
    {
        var queue = new Queue<FetchPage>(pages);
        adapter.Setup(a => a.FetchPageAsync(It.IsAny<Connection>(), It.Is<FetchRequest>(r => r.EntityType == type), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => queue.Dequeue());
    }

    [Fact]
    public async Task A_held_lease_means_back_off_without_touching_the_marketplace()
    {
        state.Setup(s => s.TryAcquireLeaseAsync("c1", SyncLane.Main, It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new LeaseAttempt(null, "replica-2/abc", T0));

        var outcome = await Syncer().RunAsync(new SyncRequest("c1"), CancellationToken.None);

        Assert.Equal(SyncOutcomeKind.LeaseHeld, outcome.Kind);
        Assert.Contains("replica-2/abc", outcome.Message);
        adapter.Verify(a => a.FetchPageAsync(It.IsAny<Connection>(), It.IsAny<FetchRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(checkpoints);
    }

    [Fact]
    public async Task Pages_are_checkpointed_one_by_one_and_the_cursor_moves_only_at_the_end_of_the_feed()
    {
        Feed(EntityType.Orders,
            new FetchPage([Order("1", T0), Order("2", T0.AddSeconds(5))], [], "p2", 3),
            new FetchPage([Order("3", T0.AddSeconds(9))], [], null));
        Feed(EntityType.Products, new FetchPage([], [], null));

        var outcome = await Syncer().RunAsync(new SyncRequest("c1", EntityTypes: [EntityType.Products, EntityType.Orders, EntityType.Customers]), CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, outcome.Run!.Status);
        Assert.Equal([EntityType.Orders, EntityType.Customers, EntityType.Products], outcome.Run.EntityTypes);
        Assert.Equal(EntityRunState.Unsupported, outcome.Run.Entity(EntityType.Customers)!.State);
        var pageCheckpoints = checkpoints.Where(c => c.Cursors.Count > 0).ToList();
        Assert.Equal(3, pageCheckpoints.Count);
        Assert.Equal("p2", pageCheckpoints[0].Cursors[0].PageToken);
        Assert.Null(pageCheckpoints[0].Cursors[0].HighWaterMark);
        Assert.Equal(T0.AddSeconds(9), pageCheckpoints[1].Cursors[0].HighWaterMark);
        Assert.Equal(3, outcome.Run.Counters.Created);
        Assert.Equal(3, outcome.Run.Counters.Total);
        var last = checkpoints[^1];
        Assert.True(last.Release);
        Assert.Null(last.ActiveRunId);
    }

    [Fact]
    public async Task Feeds_that_end_on_an_empty_page_save_their_cursors_with_the_next_checkpoint_not_one_of_their_own()
    {
        Feed(EntityType.Orders,
            new FetchPage([Order("1", T0)], [], "p2"),
            new FetchPage([], [], null));
        Feed(EntityType.Products, new FetchPage([], [], null));

        var outcome = await Syncer().RunAsync(new SyncRequest("c1", EntityTypes: [EntityType.Orders, EntityType.Products]), CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, outcome.Run!.Status);
        // The start, the page with a record, the end: the two empty pages wrote nothing of their own.
        Assert.Equal(3, checkpoints.Count);
        Assert.Equal([EntityType.Orders], checkpoints[1].Cursors.Select(c => c.EntityType));
        var end = checkpoints[^1];
        Assert.True(end.Release);
        Assert.Equal([EntityType.Orders, EntityType.Products], end.Cursors.Select(c => c.EntityType));
        Assert.All(end.Cursors, c => Assert.True(c.Completed));
        Assert.Equal(T0, end.Cursors[0].HighWaterMark);
    }

    [Fact]
    public async Task A_slice_that_stops_after_an_empty_feed_checkpoints_its_cursor_before_it_returns()
    {
        Feed(EntityType.Orders, new FetchPage([], [], null));
        Feed(EntityType.Products, new FetchPage([Order("1", T0)], [], null));

        var outcome = await Syncer().RunPagesAsync(new SyncRequest("c1", EntityTypes: [EntityType.Orders, EntityType.Products]), maxPages: 1, CancellationToken.None);

        Assert.Equal(SyncOutcomeKind.InProgress, outcome.Kind);
        var last = checkpoints[^1];
        Assert.False(last.Release);
        Assert.Equal([EntityType.Orders], last.Cursors.Select(c => c.EntityType));
        Assert.True(last.Cursors[0].Completed);
        Assert.Equal(EntityRunState.Done, last.Run.Entity(EntityType.Orders)!.State);
        adapter.Verify(a => a.FetchPageAsync(It.IsAny<Connection>(), It.Is<FetchRequest>(r => r.EntityType == EntityType.Products), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Pages_are_gathered_into_writes_of_at_least_MinRecordsPerWrite_records_each_checkpointed_after_its_records()
    {
        Feed(EntityType.Orders,
            new FetchPage([Order("1", T0), Order("2", T0)], [], "p2", 9),
            new FetchPage([Order("3", T0), Order("4", T0)], [], "p3"),
            new FetchPage([Order("5", T0), Order("6", T0)], [], "p4"),
            new FetchPage([Order("7", T0), Order("8", T0)], [], "p5"),
            new FetchPage([Order("9", T0.AddSeconds(1))], [], null));
        Feed(EntityType.Products, new FetchPage([], [], null));
        var writes = new List<int>();
        ingestion.Setup(i => i.IngestAsync(It.IsAny<IngestContext>(), It.IsAny<IReadOnlyList<CanonicalRecord>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IngestContext context, IReadOnlyList<CanonicalRecord> records, CancellationToken _) =>
            {
                if (context.EntityType == EntityType.Orders)
                {
                    writes.Add(records.Count);
                }

                return new IngestResult(records.Count, 0, 0, 0, []);
            });

        var outcome = await Syncer(new SyncOptions { MinRecordsPerWrite = 4 }).RunAsync(new SyncRequest("c1"), CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, outcome.Run!.Status);
        Assert.Equal([4, 4, 1], writes);
        var orderCheckpoints = checkpoints.Where(c => c.Cursors.Any(k => k.EntityType == EntityType.Orders)).Select(c => c.Cursors.Single(k => k.EntityType == EntityType.Orders)).ToList();
        Assert.Equal(["p3", "p5", null], orderCheckpoints.Select(c => c.PageToken));
        Assert.Equal([4L, 8L, 9L], orderCheckpoints.Select(c => c.StoredRecords));
        Assert.Equal(9, outcome.Run.Entity(EntityType.Orders)!.Counters.ReportedTotal);
        Assert.Equal(T0.AddSeconds(1), orderCheckpoints[^1].HighWaterMark);
    }

    [Fact]
    public async Task The_first_start_and_the_end_write_their_events_in_the_same_checkpoint_and_then_signal_them()
    {
        Feed(EntityType.Orders, new FetchPage([Order("1", T0)], [new RejectedRecord("9", T0, "orders 9: total is missing")], null));
        Feed(EntityType.Products, new FetchPage([], [], null));
        var stored = new List<(Conflict Conflict, OutboxEvent? Event)>();
        conflictStore.Setup(c => c.SaveAsync("c1", It.IsAny<IReadOnlyList<(Conflict, OutboxEvent?)>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, IReadOnlyList<(Conflict, OutboxEvent?)> changes, CancellationToken _) => stored.AddRange(changes))
            .Returns(Task.CompletedTask);
        var signalled = new List<string>();
        signal.Setup(s => s.SignalAsync(It.IsAny<IReadOnlyList<OutboxEvent>>(), It.IsAny<CancellationToken>()))
            .Callback((IReadOnlyList<OutboxEvent> events, CancellationToken _) => signalled.AddRange(events.Select(e => e.Type)))
            .Returns(Task.CompletedTask);

        var outcome = await Syncer().RunAsync(new SyncRequest("c1"), CancellationToken.None);

        Assert.Equal(RunStatus.Partial, outcome.Run!.Status);
        Assert.Equal(WebhookEventTypes.SyncStarted, Assert.Single(checkpoints[0].Events!).Type);
        Assert.Equal(WebhookEventTypes.SyncCompleted, Assert.Single(checkpoints[^1].Events!).Type);
        Assert.All(checkpoints.Skip(1).SkipLast(1), c => Assert.Empty(c.Events ?? []));
        var (conflict, conflictEvent) = Assert.Single(stored);
        Assert.Equal(ConflictType.ValidationError, conflict.Type);
        Assert.Equal(WebhookEventTypes.ConflictCreated, conflictEvent!.Type);
        Assert.Equal(1, outcome.Run.Conflicts["validation_error"]);
        Assert.Equal([WebhookEventTypes.SyncStarted, WebhookEventTypes.ConflictCreated, WebhookEventTypes.SyncCompleted], signalled);
    }

    [Fact]
    public async Task A_lost_signal_does_not_fail_the_run()
    {
        Feed(EntityType.Orders, new FetchPage([Order("1", T0)], [], null));
        Feed(EntityType.Products, new FetchPage([], [], null));
        signal.Setup(s => s.SignalAsync(It.IsAny<IReadOnlyList<OutboxEvent>>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("queue down"));

        var outcome = await Syncer().RunAsync(new SyncRequest("c1"), CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, outcome.Run!.Status);
        Assert.Equal(WebhookEventTypes.SyncCompleted, Assert.Single(checkpoints[^1].Events!).Type);
    }

    [Fact]
    public async Task Incremental_runs_start_from_the_cursor_minus_the_overlap_and_full_runs_ignore_it()
    {
        cursors[EntityType.Orders] = new EntityCursor { EntityType = EntityType.Orders, HighWaterMark = T0 };
        var requests = new List<FetchRequest>();
        adapter.Setup(a => a.FetchPageAsync(connection, It.IsAny<FetchRequest>(), It.IsAny<CancellationToken>()))
            .Callback((Connection _, FetchRequest r, CancellationToken _) => requests.Add(r))
            .ReturnsAsync(new FetchPage([], [], null));
        var syncer = Syncer(new SyncOptions { OverlapWindow = TimeSpan.FromMinutes(3), MinRecordsPerWrite = 1 });

        await syncer.RunAsync(new SyncRequest("c1", SyncMode.Incremental, [EntityType.Orders]), CancellationToken.None);
        await syncer.RunAsync(new SyncRequest("c1", SyncMode.Full, [EntityType.Orders]), CancellationToken.None);

        Assert.Equal(T0.AddMinutes(-3), requests[0].Since);
        Assert.Null(requests[1].Since);
    }

    [Fact]
    public async Task The_cursor_never_passes_a_rejected_record()
    {
        Feed(EntityType.Orders, new FetchPage([Order("1", T0), Order("3", T0.AddMinutes(10))], [new RejectedRecord("2", T0.AddMinutes(5), "missing field 'total'")], null));

        var outcome = await Syncer().RunAsync(new SyncRequest("c1", EntityTypes: [EntityType.Orders]), CancellationToken.None);

        Assert.Equal(RunStatus.Partial, outcome.Run!.Status);
        Assert.Equal(1, outcome.Run.Counters.Failed);
        Assert.Contains("missing field 'total'", outcome.Run.RecordErrors);
        Assert.Equal(T0.AddMinutes(5).AddSeconds(-1), checkpoints.Single(c => c.Cursors.Count > 0).Cursors[0].HighWaterMark);
    }

    [Fact]
    public async Task Refused_credentials_fail_the_run_and_flag_the_connection()
    {
        adapter.Setup(a => a.FetchPageAsync(connection, It.IsAny<FetchRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MarketplaceException(MarketplaceErrorKind.Auth, "credentials refused (401)", 401));

        var outcome = await Syncer().RunAsync(new SyncRequest("c1"), CancellationToken.None);

        Assert.Equal(RunStatus.Failed, outcome.Run!.Status);
        Assert.Equal("shopify orders: credentials refused (401)", outcome.Run.Error);
        Assert.Contains(written, x => x.Health == ConnectionHealth.NeedsAttention && x.LastError == outcome.Run.Error);
        Assert.True(checkpoints[^1].Release);
        Assert.Null(checkpoints[^1].ActiveRunId);
    }

    [Fact]
    public async Task Storage_going_away_mid_run_interrupts_it_at_its_last_checkpoint_as_soon_as_storage_answers_again()
    {
        var clock = new JumpingClock(T0);
        Feed(EntityType.Orders,
            new FetchPage([Order("1", T0), Order("2", T0)], [], "p2"),
            new FetchPage([Order("3", T0)], [], "p3"),
            new FetchPage([Order("4", T0)], [], null));
        // The second write meets an outage.
        var writes = 0;
        ingestion.Setup(i => i.IngestAsync(It.IsAny<IngestContext>(), It.IsAny<IReadOnlyList<CanonicalRecord>>(), It.IsAny<CancellationToken>()))
            .Returns((IngestContext _, IReadOnlyList<CanonicalRecord> records, CancellationToken _) => ++writes == 2
                ? Task.FromException<IngestResult>(new StorageUnavailableException("Storage at 127.0.0.1:10002 is unreachable"))
                : Task.FromResult(new IngestResult(records.Count, 0, 0, 0, [])));
        // The lease is taken at the start; the first two probes find storage still away, the third answers.
        var leaseCalls = 0;
        state.Setup(s => s.TryAcquireLeaseAsync("c1", SyncLane.Main, It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns((string id, SyncLane _, string owner, TimeSpan d, CancellationToken _) => ++leaseCalls is 2 or 3
                ? Task.FromException<LeaseAttempt>(new StorageUnavailableException("still away"))
                : Task.FromResult(new LeaseAttempt(new SyncLease(id, owner, clock.GetUtcNow() + d, "e0", null), null, null)));
        state.Setup(s => s.GetRunAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string runId, CancellationToken _) => checkpoints.LastOrDefault(c => c.Run.RunId == runId)?.Run);

        // The probes wait 1 s, then 2 s, on a clock that jumps over each wait at once.
        var outcome = await Syncer(new SyncOptions { MinRecordsPerWrite = 1 }, clock)
            .RunAsync(new SyncRequest("c1", EntityTypes: [EntityType.Orders]), CancellationToken.None);
        Assert.Equal(SyncOutcomeKind.StorageInterrupted, outcome.Kind);
        Assert.Equal(4, leaseCalls);
        var last = checkpoints[^1];
        Assert.Equal(RunStatus.Interrupted, last.Run.Status);
        Assert.True(last.Release);
        Assert.Equal(last.Run.RunId, last.ActiveRunId);
        // The run as last checkpointed: page 1 (2 records), not what was in flight when storage went away.
        Assert.Equal(1, last.Run.PageSeq);
        Assert.Equal(2, last.Run.Counters.Created);
        Assert.DoesNotContain(checkpoints, c => c.Run.Status == RunStatus.Failed);
        Assert.Empty(written);
    }

    [Fact]
    public async Task Cancellation_between_pages_interrupts_the_run_and_keeps_it_active_for_the_next_runner()
    {
        using var cts = new CancellationTokenSource();
        adapter.Setup(a => a.FetchPageAsync(connection, It.IsAny<FetchRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                cts.Cancel();
                return new FetchPage([Order("1", T0)], [], "next");
            });

        var outcome = await Syncer().RunAsync(new SyncRequest("c1"), cts.Token);

        Assert.Equal(SyncOutcomeKind.Interrupted, outcome.Kind);
        Assert.Equal(RunStatus.Interrupted, outcome.Run!.Status);
        Assert.True(checkpoints[^1].Release);
        Assert.Equal(outcome.Run.RunId, checkpoints[^1].ActiveRunId);
        Assert.Equal(1, outcome.Run.PageSeq);
    }

    [Fact]
    public async Task An_interrupted_run_resumes_from_its_saved_page_token()
    {
        var run = new SyncRun
        {
            RunId = "c1-0001", ConnectionId = "c1", OrganizationId = "o1", Marketplace = "shopify", Mode = SyncMode.Full, Trigger = RunTrigger.Schedule,
            EntityTypes = [EntityType.Orders, EntityType.Products], Status = RunStatus.Interrupted, PageSeq = 4, Attempts = 1,
            Entities = [new(EntityType.Orders, EntityRunState.Done, RunCounters.Zero with { Created = 10 }), new(EntityType.Products, EntityRunState.Running, RunCounters.Zero with { Created = 2 })],
        };
        state.Setup(s => s.TryAcquireLeaseAsync("c1", SyncLane.Main, It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new LeaseAttempt(new SyncLease("c1", "me", T0, "e0", run.RunId), null, null));
        state.Setup(s => s.GetRunAsync(run.RunId, It.IsAny<CancellationToken>())).ReturnsAsync(run);
        cursors[EntityType.Products] = new EntityCursor { EntityType = EntityType.Products, RunId = run.RunId, PageToken = "page-5" };
        FetchRequest? asked = null;
        adapter.Setup(a => a.FetchPageAsync(connection, It.IsAny<FetchRequest>(), It.IsAny<CancellationToken>()))
            .Callback((Connection _, FetchRequest r, CancellationToken _) => asked = r)
            .ReturnsAsync(new FetchPage([], [], null));

        var outcome = await Syncer().RunAsync(new SyncRequest("c1", SyncMode.Incremental), CancellationToken.None);

        Assert.Equal(run.RunId, outcome.Run!.RunId);
        Assert.Equal(SyncMode.Full, outcome.Run.Mode);
        Assert.Equal(2, outcome.Run.Attempts);
        Assert.Equal(new FetchRequest(EntityType.Products, null, "page-5", 50), asked! with { Lookahead = null });
        // The adapter is told which run reads and what it reads next (nothing: products were its last feed left).
        Assert.Equal(run.RunId, asked.Lookahead!.RunId);
        Assert.Equal(12, outcome.Run.Counters.Created);
        adapter.Verify(a => a.FetchPageAsync(connection, It.Is<FetchRequest>(r => r.EntityType == EntityType.Orders), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(18, true, new string[0])]
    [InlineData(19, true, new[] { "failing" })]
    [InlineData(29, false, new[] { "disabled_after_failures" })]
    public async Task Failure_streaks_flag_the_connection_then_disable_it(int previousFailures, bool stillEnabled, string[] flags)
    {
        connections.Setup(c => c.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(connection with { ConsecutiveFailures = previousFailures });
        adapter.Setup(a => a.FetchPageAsync(It.IsAny<Connection>(), It.IsAny<FetchRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MarketplaceException(MarketplaceErrorKind.Transient, "server error 503", 503));

        await Syncer(new SyncOptions { FailureWarningThreshold = 20, FailureDisableThreshold = 30, MinRecordsPerWrite = 1 }).RunAsync(new SyncRequest("c1"), CancellationToken.None);

        Assert.Contains(written, x => x.ConsecutiveFailures == previousFailures + 1 && x.Enabled == stillEnabled && x.Flags.SequenceEqual(flags));
    }

    [Fact]
    public async Task A_successful_run_ends_the_failure_streak_and_its_flags()
    {
        connections.Setup(c => c.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(connection with { ConsecutiveFailures = 25, Flags = ["failing"] });
        Feed(EntityType.Orders, new FetchPage([], [], null));
        Feed(EntityType.Products, new FetchPage([], [], null));

        await Syncer().RunAsync(new SyncRequest("c1"), CancellationToken.None);

        Assert.Contains(written, x => x.ConsecutiveFailures == 0 && x.Flags.Count == 0);
    }
}

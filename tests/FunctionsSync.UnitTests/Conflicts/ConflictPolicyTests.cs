using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsSync.UnitTests.Conflicts;

public sealed class ConflictPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly MemoryConflictStore store = new();
    private readonly Mock<IStoredRecords> records = new();
    private readonly ManualClock clock = new(T0);
    private readonly ConflictOptions options = new() { MaxAutoRetries = 3, RetryDelay = TimeSpan.FromMinutes(5) };

    private ConflictRecorder Recorder() => new(store, Options.Create(options), clock, TestMetrics.Create(), TestEvents.Create());

    private ConflictResolver Resolver() => new(store, records.Object, Mock.Of<IConnectionStore>(),
        new RunLauncher(Mock.Of<ISyncStateStore>(), Mock.Of<IRunDispatcher>(), TestEvents.Create(), clock), Mock.Of<IActivityLog>(), TestEvents.Create(), Options.Create(options), clock,
        NullLogger<ConflictResolver>.Instance);

    private static readonly SyncRun Run = new()
    {
        RunId = "c1-0001", ConnectionId = "c1", OrganizationId = "o1", Marketplace = "shopify", Mode = SyncMode.Incremental,
        Trigger = RunTrigger.Schedule, EntityTypes = [EntityType.Orders],
    };

    private static OrderRecord Order(string status) => new() { ExternalId = "42", UpdatedAt = T0, Status = status, Currency = "USD", Total = 1 };

    private static DetectedConflict Mismatch(string status = "paid") =>
        new(ConflictType.DataMismatch, EntityType.Orders, "42", "changed on both sides", Order(status));

    [Fact]
    public async Task A_duplicate_key_is_skipped_at_once_and_still_announced()
    {
        var events = await Recorder().RecordAsync(Run, 1, [new DetectedConflict(ConflictType.DuplicateKey, EntityType.Orders, "42", "twice")], CancellationToken.None);

        var conflict = Assert.Single(store.Rows.Values);
        Assert.Equal(ConflictStatus.Skipped, conflict.Status);
        Assert.Equal(ConflictRecorder.PolicyActor, conflict.ResolvedBy);
        Assert.Equal(WebhookEventTypes.ConflictCreated, Assert.Single(events).Type);
    }

    [Fact]
    public async Task The_same_page_replayed_or_the_same_problem_seen_again_opens_nothing_new()
    {
        var first = await Recorder().RecordAsync(Run, 1, [Mismatch()], CancellationToken.None);
        var replayed = await Recorder().RecordAsync(Run, 1, [Mismatch()], CancellationToken.None);
        var later = await Recorder().RecordAsync(Run with { RunId = "c1-0002" }, 3, [Mismatch("refunded")], CancellationToken.None);

        Assert.Single(first);
        Assert.Empty(replayed);
        Assert.Empty(later);
        var conflict = Assert.Single(store.Rows.Values);
        Assert.Equal(1, conflict.Occurrence);
        Assert.Contains("refunded", conflict.SourceJson);
    }

    [Fact]
    public async Task A_closed_conflict_detected_again_reopens_as_a_new_event()
    {
        var first = await Recorder().RecordAsync(Run, 1, [Mismatch()], CancellationToken.None);
        var id = store.Rows.Keys.Single();
        store.Rows[id] = store.Rows[id] with { Status = ConflictStatus.Resolved };

        var again = await Recorder().RecordAsync(Run with { RunId = "c1-0002" }, 1, [Mismatch("refunded")], CancellationToken.None);

        Assert.NotEqual(first[0].EventId, Assert.Single(again).EventId);
        Assert.Equal(2, store.Rows[id].Occurrence);
        Assert.Equal(ConflictStatus.Retrying, store.Rows[id].Status);
    }

    [Fact]
    public async Task A_data_mismatch_is_retried_three_times_with_growing_delays_then_waits_for_a_person()
    {
        await Recorder().RecordAsync(Run, 1, [Mismatch()], CancellationToken.None);
        records.Setup(r => r.ApplySourceAsync("c1", It.IsAny<CanonicalRecord>(), false, It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var id = store.Rows.Keys.Single();
        var resolver = Resolver();

        var delays = new List<TimeSpan>();
        for (var pass = 0; pass < 3; pass++)
        {
            var due = store.Rows[id].NextAttemptAt!.Value;
            delays.Add(due - clock.GetUtcNow());
            clock.Now = due;
            await resolver.RetryDueAsync(CancellationToken.None);
        }

        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20)], delays);
        Assert.Equal(ConflictStatus.Open, store.Rows[id].Status);
        Assert.Equal(3, store.Rows[id].Attempts);
        Assert.Null(store.Rows[id].NextAttemptAt);
        records.Verify(r => r.ApplySourceAsync("c1", It.IsAny<CanonicalRecord>(), false, It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Fact]
    public async Task An_automatic_retry_that_finds_the_local_change_gone_resolves_it()
    {
        await Recorder().RecordAsync(Run, 1, [Mismatch()], CancellationToken.None);
        records.Setup(r => r.ApplySourceAsync("c1", It.IsAny<CanonicalRecord>(), false, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        clock.Now = T0.AddMinutes(6);

        Assert.Equal(1, await Resolver().RetryDueAsync(CancellationToken.None));

        var conflict = store.Rows.Values.Single();
        Assert.Equal(ConflictStatus.Resolved, conflict.Status);
        Assert.Equal(ConflictResolution.Retry, conflict.Resolution);
    }

    [Fact]
    public async Task Accept_and_keep_do_not_apply_to_conflicts_without_a_marketplace_version()
    {
        await Recorder().RecordAsync(Run, 0, [new DetectedConflict(ConflictType.RetryExhausted, null, null, "429s")], CancellationToken.None);

        var result = await Resolver().ResolveAsync(store.Rows.Values.Single(), ConflictResolution.KeepTarget, "admin", null, CancellationToken.None);

        Assert.NotNull(result.Refusal);
        Assert.False(result.RefusalIsConflict);
        Assert.Equal(ConflictStatus.Open, store.Rows.Values.Single().Status);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>The store's contract in memory: versions make conditional writes fail like ETags do.</summary>
    private sealed class MemoryConflictStore : IConflictStore
    {
        private int version;

        public Dictionary<string, Conflict> Rows { get; } = [];

        public Task<IReadOnlyDictionary<string, Conflict>> GetManyAsync(string connectionId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, Conflict>>(ids.Where(Rows.ContainsKey).ToDictionary(id => id, id => Rows[id]));

        public Task<Conflict?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Rows.GetValueOrDefault(id));

        public Task SaveAsync(string connectionId, IReadOnlyList<(Conflict Conflict, OutboxEvent? Event)> changes, CancellationToken cancellationToken)
        {
            foreach (var (conflict, _) in changes)
            {
                if (Rows.TryGetValue(conflict.Id, out var stored) ? stored.Version != conflict.Version : conflict.Version is not null)
                {
                    throw new ConcurrencyException("changed");
                }

                Rows[conflict.Id] = conflict with { Version = $"v{++version}" };
            }

            return Task.CompletedTask;
        }

        public Task<ConflictPage> ListAsync(ConflictQuery query, CancellationToken cancellationToken) => Task.FromResult(new ConflictPage([.. Rows.Values], null));

        public Task<IReadOnlyList<Conflict>> ListDueRetriesAsync(DateTimeOffset now, int take, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Conflict>>([.. Rows.Values.Where(c => c.Status == ConflictStatus.Retrying && c.NextAttemptAt <= now).Take(take)]);
    }
}

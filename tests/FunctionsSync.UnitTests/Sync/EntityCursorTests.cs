using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.UnitTests.Sync;

/// <summary>The cursor's own rules: where a feed starts, what a page moves, and what holds the high-water mark back.</summary>
public sealed class EntityCursorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddDays(1);

    private static OrderRecord Order(string id, DateTimeOffset updated) => new() { ExternalId = id, UpdatedAt = updated, Status = "paid", Currency = "USD", Total = 1 };

    private static readonly EntityCursor Synced = new() { EntityType = EntityType.Orders, HighWaterMark = T0, RunId = "old", PageToken = "p9", HoldAll = true, StoredRecords = 10 };

    [Fact]
    public void An_incremental_feed_starts_at_the_high_water_mark_less_the_overlap_and_a_full_one_at_the_beginning()
    {
        var incremental = Synced.StartFeed("run-2", SyncMode.Incremental, TimeSpan.FromMinutes(5));
        Assert.Equal(("run-2", T0.AddMinutes(-5), (string?)null, false, false), (incremental.RunId, incremental.RunSince, incremental.PageToken, incremental.HoldAll, incremental.Completed));
        Assert.Equal((T0, 10L), (incremental.HighWaterMark, incremental.StoredRecords));
        Assert.Null(Synced.StartFeed("run-3", SyncMode.Full, TimeSpan.FromMinutes(5)).RunSince);
    }

    [Fact]
    public void A_targeted_read_moves_no_mark_whatever_it_reads_or_rejects_and_counts_what_it_stored()
    {
        var cursor = Synced.StartFeed("run-2", SyncMode.Incremental, TimeSpan.Zero);
        cursor = cursor.ObserveTargeted(new FetchPage([Order("a", T0.AddHours(3))], [new RejectedRecord("b", T0.AddHours(2), "bad")], "i2"), created: 1, Now);
        Assert.Equal(("i2", false, (DateTimeOffset?)null), (cursor.PageToken, cursor.Completed, cursor.PendingHighWaterMark));
        cursor = cursor.ObserveTargeted(new FetchPage([Order("c", T0.AddHours(9))], [new RejectedRecord("d", null, "no date")], null), created: 0, Now);
        Assert.Equal((T0, Now, true, 4L, 11L), (cursor.HighWaterMark, cursor.LastSyncedAt, cursor.Completed, cursor.Delivered, cursor.StoredRecords));
        Assert.Equal((null, false), (cursor.HoldBefore, cursor.HoldAll));
    }

    [Fact]
    public void A_feed_that_ends_short_of_the_marketplaces_count_does_not_move_the_high_water_mark()
    {
        var cursor = Synced.StartFeed("run-2", SyncMode.Incremental, TimeSpan.Zero);
        cursor = cursor.Observe(new FetchPage([Order("a", T0.AddHours(3))], [], "p2", Expected: 3), created: 1, Now);
        cursor = cursor.Observe(new FetchPage([Order("b", T0.AddHours(4))], [], null), created: 1, Now);
        Assert.Equal((3L, 2L, 1L, true), (cursor.Expected!.Value, cursor.Delivered, cursor.Shortfall, cursor.Completed));
        Assert.Equal((T0, Now), (cursor.HighWaterMark, cursor.LastSyncedAt));

        // Delivered in full (a rejected record counts as delivered: it is held back on its own), the mark moves.
        var whole = Synced.StartFeed("run-3", SyncMode.Incremental, TimeSpan.Zero)
            .Observe(new FetchPage([Order("a", T0.AddHours(3))], [new RejectedRecord("b", T0.AddHours(5), "bad")], null, Expected: 2), created: 1, Now);
        Assert.Equal((0L, T0.AddHours(3)), (whole.Shortfall, whole.HighWaterMark));
        Assert.Equal((null, 0L), (whole.StartFeed("run-4", SyncMode.Full, TimeSpan.Zero).Expected, whole.StartFeed("run-4", SyncMode.Full, TimeSpan.Zero).Delivered));
    }

    [Fact]
    public void A_page_moves_the_token_and_the_feeds_last_page_moves_the_high_water_mark_to_the_newest_change()
    {
        var cursor = Synced.StartFeed("run-2", SyncMode.Incremental, TimeSpan.Zero);
        cursor = cursor.Observe(new FetchPage([Order("a", T0.AddHours(3)), Order("b", T0.AddHours(1))], [], "p2", TotalCount: 40), created: 2, Now);
        Assert.Equal(("p2", T0, T0.AddHours(3), 40L, 12L, false), (cursor.PageToken, cursor.HighWaterMark, cursor.PendingHighWaterMark, cursor.ReportedTotal, cursor.StoredRecords, cursor.Completed));

        cursor = cursor.Observe(new FetchPage([Order("c", T0.AddHours(2))], [], null, TotalCount: 41), created: 0, Now);
        Assert.True(cursor.Completed);
        // The first reported total stays; the high-water mark is the newest change seen in the whole feed.
        Assert.Equal((40L, T0.AddHours(3), Now), (cursor.ReportedTotal, cursor.HighWaterMark, cursor.LastSyncedAt));
    }

    [Fact]
    public void A_rejected_record_holds_the_high_water_mark_before_it_and_one_without_a_change_time_holds_it_where_it_was()
    {
        var start = Synced.StartFeed("run-2", SyncMode.Incremental, TimeSpan.Zero);
        var held = start.Observe(new FetchPage([Order("a", T0.AddHours(3))], [new RejectedRecord("x", T0.AddHours(2), "bad")], null), 1, Now);
        Assert.Equal(T0.AddHours(2).AddSeconds(-1), held.HighWaterMark);

        var stuck = start.Observe(new FetchPage([Order("a", T0.AddHours(3))], [new RejectedRecord("y", null, "no date")], null), 1, Now);
        Assert.Equal((T0, Now), (stuck.HighWaterMark, stuck.LastSyncedAt));
    }
}

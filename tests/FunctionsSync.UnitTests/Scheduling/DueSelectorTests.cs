using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.UnitTests.Scheduling;

public sealed class DueSelectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static Connection C(string id, int priority = 0, bool enabled = true, ConnectionHealth health = ConnectionHealth.Active, int interval = 15, bool deleted = false) => new()
    {
        Id = id, OrganizationId = "o", Marketplace = "shopify", ExternalStoreId = id, Name = id, SyncTokenHash = "t",
        Priority = priority, Enabled = enabled, Health = health, IntervalMinutes = interval, DeletedAt = deleted ? Now : null,
    };

    private static ConnectionSyncState S(string id, DateTimeOffset? lastFinished = null, string? active = null) =>
        new(id, active, null, null, null, lastFinished is null ? null : RunStatus.Succeeded, lastFinished, lastFinished);

    [Fact]
    public void Skips_disabled_deleted_refused_active_and_not_yet_due_connections()
    {
        var connections = new[]
        {
            C("due"), C("off", enabled: false), C("gone", deleted: true), C("auth", health: ConnectionHealth.NeedsAttention),
            C("busy"), C("fresh"),
        };
        var states = new Dictionary<string, ConnectionSyncState>
        {
            ["busy"] = S("busy", active: "busy-1"),
            ["fresh"] = S("fresh", lastFinished: Now.AddMinutes(-3)),
            ["due"] = S("due", lastFinished: Now.AddMinutes(-15)),
        };

        var selection = DueSelector.Select(connections, states, Now);

        Assert.Equal(["due"], selection.Due.Select(c => c.Id));
        Assert.Equal(2, selection.Disabled);
        Assert.Equal(1, selection.NeedsAttention);
        Assert.Equal(1, selection.Active);
        Assert.Equal(1, selection.NotDue);
    }

    [Fact]
    public void Orders_by_priority_then_staleness_with_never_synced_first()
    {
        var connections = new[] { C("recent"), C("old"), C("never"), C("vip", priority: 5) };
        var states = new Dictionary<string, ConnectionSyncState>
        {
            ["recent"] = S("recent", Now.AddMinutes(-20)),
            ["old"] = S("old", Now.AddDays(-2)),
            ["vip"] = S("vip", Now.AddMinutes(-16)),
        };

        Assert.Equal(["vip", "never", "old", "recent"], DueSelector.Select(connections, states, Now).Due.Select(c => c.Id));
    }

    [Fact]
    public void A_full_cycle_ignores_intervals_but_not_active_runs()
    {
        var states = new Dictionary<string, ConnectionSyncState> { ["a"] = S("a", Now.AddMinutes(-1)), ["b"] = S("b", active: "b-1") };
        Assert.Equal(["a"], DueSelector.Select([C("a"), C("b")], states, Now, ignoreInterval: true).Due.Select(c => c.Id));
    }

    [Theory]
    [InlineData(0, 4, 0)]
    [InlineData(1, 4, 60)]
    [InlineData(3, 4, 180)]
    [InlineData(0, 1, 0)]
    public void Starts_are_spread_evenly(int index, int count, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), DueSelector.SpreadDelay(index, count, TimeSpan.FromMinutes(4)));

    [Theory]
    [InlineData("0 */15 * * * *", true)]
    [InlineData("*/15 * * * *", true)]
    [InlineData("0 61 * * * *", false)]
    [InlineData("every day", false)]
    [InlineData("", false)]
    public void Cron_expressions_are_validated(string expression, bool valid) =>
        Assert.Equal(valid, CronSchedule.TryParse(expression, out _, out _));

    [Fact]
    public void Minutes_become_a_six_field_cron() =>
        Assert.Equal(Now.AddMinutes(15), CronSchedule.Parse(CronSchedule.EveryMinutes(15)).NextAfter(Now));

    [Fact]
    public void A_connections_own_full_sync_schedule_makes_it_due_after_each_occurrence_whatever_its_interval()
    {
        // Nightly at 02:00 UTC, an interval of a day; now is 12:00.
        var nightly = C("nightly", interval: 1440) with { Settings = new Dictionary<string, string> { ["fullSyncCron"] = "0 0 2 * * *" } };
        var ranAt1 = S("nightly", Now.Date.AddHours(1));
        var ranAt3 = S("nightly", Now.Date.AddHours(3));

        // Last run ended at 01:00: the 02:00 occurrence passed since, so it is due (in full) though its day has not.
        Assert.True(DueSelector.FullDue(nightly, ranAt1, Now));
        Assert.Equal(["nightly"], DueSelector.Select([nightly], new Dictionary<string, ConnectionSyncState> { ["nightly"] = ranAt1 }, Now).Due.Select(c => c.Id));
        // Last run ended at 03:00, after it: nothing until tomorrow's.
        Assert.False(DueSelector.FullDue(nightly, ranAt3, Now));
        Assert.Empty(DueSelector.Select([nightly], new Dictionary<string, ConnectionSyncState> { ["nightly"] = ranAt3 }, Now).Due);
        Assert.True(DueSelector.FullDue(nightly, ranAt3, Now.AddDays(1)));
        // Without the setting (or with a value that is not cron), the interval alone decides.
        Assert.False(DueSelector.FullDue(C("plain"), ranAt1, Now));
        Assert.False(DueSelector.FullDue(nightly with { Settings = new Dictionary<string, string> { ["fullSyncCron"] = "nightly" } }, ranAt1, Now));
    }
}

using FunctionsSync.Core.Connections;

namespace FunctionsSync.UnitTests.Connections;

public sealed class FailureStreakTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Connection Healthy = new()
    {
        Id = "c1", OrganizationId = "o", Marketplace = "shopify", ExternalStoreId = "s", Name = "n", SyncTokenHash = "t",
    };

    [Fact]
    public void Failures_flag_the_connection_at_the_warning_threshold_and_disable_it_at_the_disable_threshold()
    {
        var connection = Healthy;
        for (var i = 1; i <= 3; i++)
        {
            connection = FailureStreak.Apply(connection, ConnectionHealth.Active, "boom", failed: true, warnAt: 2, disableAt: 3, Now)!;
            Assert.Equal(i, connection.ConsecutiveFailures);
        }

        Assert.Equal([FailureStreak.FlagDisabled], connection.Flags);
        Assert.False(connection.Enabled);
        var warned = FailureStreak.Apply(Healthy with { ConsecutiveFailures = 1 }, ConnectionHealth.Active, "boom", failed: true, warnAt: 2, disableAt: 3, Now)!;
        Assert.Equal([FailureStreak.FlagFailing], warned.Flags);
        Assert.True(warned.Enabled);
    }

    [Fact]
    public void A_success_ends_the_streak_and_clears_its_flags_and_an_outcome_that_changes_nothing_writes_nothing()
    {
        var failing = Healthy with { ConsecutiveFailures = 5, Flags = [FailureStreak.FlagFailing, "other"], LastError = "boom" };
        var recovered = FailureStreak.Apply(failing, ConnectionHealth.Active, null, failed: false, warnAt: 2, disableAt: 10, Now)!;
        Assert.Equal((0, (string?)null, Now), (recovered.ConsecutiveFailures, recovered.LastError, recovered.UpdatedAt));
        Assert.Equal(["other"], recovered.Flags);
        Assert.Null(FailureStreak.Apply(Healthy, ConnectionHealth.Active, null, failed: false, warnAt: 2, disableAt: 10, Now));
    }
}

using FunctionsSync.Core.Connections;

namespace FunctionsSync.UnitTests.Connections;

public sealed class ConnectionChangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Connection Refused = new()
    {
        Id = "c1", OrganizationId = "o", Marketplace = "shopify", ExternalStoreId = "s", Name = "n", SyncTokenHash = "t",
        Health = ConnectionHealth.NeedsAttention, LastError = "401", Priority = 3, Credentials = new Dictionary<string, string> { ["accessToken"] = "old" },
    };

    [Theory]
    [InlineData(-101, null, "priority")]
    [InlineData(101, null, "priority")]
    [InlineData(null, 0, "intervalMinutes")]
    [InlineData(null, 10_081, "intervalMinutes")]
    public void Values_out_of_range_are_named(int? priority, int? interval, string field) =>
        Assert.Equal(field, Assert.Single(new ConnectionChange(null, priority, interval, null, null).RangeErrors()).Field);

    [Fact]
    public void Only_the_named_fields_change_and_new_credentials_schedule_a_refused_connection_again()
    {
        var interval = new ConnectionChange(null, null, 60, null, null).ApplyTo(Refused, Now)!;
        Assert.Equal((60, 3, ConnectionHealth.NeedsAttention, "401", Now), (interval.IntervalMinutes, interval.Priority, interval.Health, interval.LastError, interval.UpdatedAt));

        var credentials = new ConnectionChange(null, null, null, new Dictionary<string, string> { ["accessToken"] = "new" }, null).ApplyTo(Refused, Now)!;
        Assert.Equal((ConnectionHealth.Active, (string?)null, "new"), (credentials.Health, credentials.LastError, credentials.Credential("accessToken")));
        Assert.Empty(new ConnectionChange(true, 100, 10_080, null, null).RangeErrors());
    }

    [Fact]
    public void A_deleted_connection_is_not_changed_and_registering_it_again_restores_it()
    {
        var deleted = Refused with { DeletedAt = Now.AddDays(-1), Enabled = false };
        Assert.Null(new ConnectionChange(true, null, null, null, null).ApplyTo(deleted, Now));

        var restored = deleted.RestoredBy(new ConnectionRegistration("o", "shopify", "s", "n", new Dictionary<string, string> { ["accessToken"] = "again" }), Now);
        Assert.Equal(((DateTimeOffset?)null, true, "again", "t", Now), (restored.DeletedAt, restored.Enabled, restored.Credential("accessToken"), restored.SyncTokenHash, restored.UpdatedAt));
    }
}

using FunctionsSync.Core.Records;

namespace FunctionsSync.UnitTests.Records;

public sealed class ContentHashTests
{
    private static OrderRecord Order(decimal total = 12.30m, DateTimeOffset? at = null) => new()
    {
        ExternalId = "1001",
        UpdatedAt = at ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Status = "paid",
        Currency = "USD",
        Total = total,
        Lines = [new OrderLine("1", "p1", "SKU-1", 2, 6.15m)],
    };

    [Fact]
    public void Hash_is_stable_across_calls_and_instances() =>
        Assert.Equal(RecordJson.ContentHash(Order()), RecordJson.ContentHash(Order()));

    [Fact]
    public void Hash_ignores_the_change_time_so_a_touched_record_is_not_rewritten() =>
        Assert.Equal(RecordJson.ContentHash(Order()), RecordJson.ContentHash(Order(at: DateTimeOffset.UtcNow)));

    [Fact]
    public void Hash_changes_with_content() =>
        Assert.NotEqual(RecordJson.ContentHash(Order()), RecordJson.ContentHash(Order(total: 12.31m)));

    [Fact]
    public void Records_round_trip_through_their_json_with_their_type()
    {
        var order = Order();
        var back = Assert.IsType<OrderRecord>(RecordJson.Deserialize(RecordJson.Serialize(order)));
        Assert.Equal(RecordJson.ContentHash(order), RecordJson.ContentHash(back));
        Assert.Equal(order.Lines, back.Lines);
    }
}

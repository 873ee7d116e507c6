using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.UnitTests.Paging;

public sealed class OffsetWindowTokenTests
{
    [Fact]
    public void Short_page_ends_the_feed() =>
        Assert.Null(new OffsetWindowToken(null, 0).Next([1, 2, 3], pageSize: 4, exclusive: true));

    [Fact]
    public void Exclusive_window_moves_to_one_second_before_the_last_record_and_skips_its_ties()
    {
        var next = new OffsetWindowToken(null, 0).Next([10, 11, 12, 12], pageSize: 4, exclusive: true);
        Assert.Equal(new OffsetWindowToken(11, 2), next);
    }

    [Fact]
    public void Inclusive_window_moves_to_the_last_records_second()
    {
        var next = new OffsetWindowToken(5, 0).Next([10, 12, 12, 12], pageSize: 4, exclusive: false);
        Assert.Equal(new OffsetWindowToken(12, 3), next);
    }

    [Fact]
    public void A_page_entirely_within_the_current_window_grows_the_offset()
    {
        var next = new OffsetWindowToken(12, 3).Next([12, 12, 12, 12], pageSize: 4, exclusive: false);
        Assert.Equal(new OffsetWindowToken(12, 7), next);
    }

    [Fact]
    public void Unreadable_last_date_falls_back_to_plain_offset()
    {
        var next = new OffsetWindowToken(3, 1).Next([4, 5, null], pageSize: 3, exclusive: true);
        Assert.Equal(new OffsetWindowToken(3, 4), next);
    }

    [Theory]
    [InlineData(":0")]
    [InlineData("1700000000:25")]
    public void Tokens_round_trip(string token) =>
        Assert.Equal(token, OffsetWindowToken.Decode(token)!.Encode());

    [Theory]
    [InlineData("x")]
    [InlineData("1:-1")]
    public void Foreign_tokens_are_refused(string token) =>
        Assert.Throws<FormatException>(() => OffsetWindowToken.Decode(token));
}

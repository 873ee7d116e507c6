using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.UnitTests.Paging;

public sealed class OffsetWindowTokenTests
{
    /// <summary>A page of records at these seconds, with ids 1, 2, 3… in order.</summary>
    private static (long? Second, string? Id)[] Page(params long?[] seconds) =>
        [.. seconds.Select((s, i) => (s, (string?)(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    [Fact]
    public void Short_page_ends_the_feed() =>
        Assert.Null(new OffsetWindowToken(null, 0).Next(Page(1, 2, 3), pageSize: 4, exclusive: true));

    [Fact]
    public void Exclusive_window_moves_to_one_second_before_the_last_record_and_remembers_its_ties_and_id()
    {
        var next = new OffsetWindowToken(null, 0).Next(Page(10, 11, 12, 12), pageSize: 4, exclusive: true);
        Assert.Equal(new OffsetWindowToken(11, 2, "4"), next);
    }

    [Fact]
    public void Inclusive_window_moves_to_the_last_records_second()
    {
        var next = new OffsetWindowToken(5, 0).Next(Page(10, 12, 12, 12), pageSize: 4, exclusive: false);
        Assert.Equal(new OffsetWindowToken(12, 3, "4"), next);
    }

    [Fact]
    public void A_page_entirely_within_the_tie_second_moves_the_position_by_the_page_from_where_it_was_asked()
    {
        var token = new OffsetWindowToken(12, 3, "3");
        // Asked from half a page before the position (3 - 4/2 = 1).
        Assert.Equal(1, token.Offset(pageSize: 4));
        var next = token.Next(Page(12, 12, 12, 12), pageSize: 4, exclusive: false);
        Assert.Equal(new OffsetWindowToken(12, 5, "4"), next);
    }

    [Fact]
    public void Records_of_the_tie_second_up_to_the_last_id_were_read_before_and_later_ones_not()
    {
        var token = new OffsetWindowToken(11, 2, "40");
        // Exclusive: the tie second is the window + 1.
        Assert.True(token.AlreadyRead(12, "39", exclusive: true));
        Assert.True(token.AlreadyRead(12, "40", exclusive: true));
        Assert.False(token.AlreadyRead(12, "41", exclusive: true));
        Assert.False(token.AlreadyRead(13, "1", exclusive: true));
        // Numeric ids compare as numbers, not text.
        Assert.False(token.AlreadyRead(12, "100", exclusive: true));
        Assert.False(token.AlreadyRead(null, "1", exclusive: true));
        Assert.False(new OffsetWindowToken(11, 2).AlreadyRead(12, "1", exclusive: true));
    }

    [Fact]
    public void A_record_of_the_tie_second_leaving_it_mid_walk_hides_none_behind_it()
    {
        // The second 12 holds ids 1..6; pages of 4. Page 1 read 1..4; then id 2 changes (leaves the second).
        var afterFirst = new OffsetWindowToken(null, 0).Next(Page(12, 12, 12, 12), pageSize: 4, exclusive: false)!;
        var remaining = new (long? Second, string? Id)[] { (12, "1"), (12, "3"), (12, "4"), (12, "5"), (12, "6"), (20, "2") };
        var asked = remaining.Skip(afterFirst.Offset(4)).Take(4).ToList();
        var fresh = asked.Where(r => !afterFirst.AlreadyRead(r.Second, r.Id, exclusive: false)).Select(r => r.Id).ToList();
        // 5 and 6 are read (a plain offset of 4 would have skipped 5), and 2 again at its new time.
        Assert.Equal(["5", "6", "2"], fresh);
    }

    [Fact]
    public void Unreadable_last_date_falls_back_to_plain_offset()
    {
        var next = new OffsetWindowToken(3, 1).Next(Page(4, 5, null), pageSize: 3, exclusive: true);
        Assert.Equal(new OffsetWindowToken(3, 4), next);
    }

    [Theory]
    [InlineData(":0")]
    [InlineData("1700000000:25")]
    [InlineData("1700000000:25:4000000198")]
    public void Tokens_round_trip(string token) =>
        Assert.Equal(token, OffsetWindowToken.Decode(token)!.Encode());

    [Theory]
    [InlineData("x")]
    [InlineData("1:-1")]
    [InlineData("1:2:")]
    [InlineData("1:2:3:4")]
    public void Foreign_tokens_are_refused(string token) =>
        Assert.Throws<FormatException>(() => OffsetWindowToken.Decode(token));
}

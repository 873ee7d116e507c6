using FunctionsSync.Marketplaces.Amazon;

namespace FunctionsSync.UnitTests.Marketplaces;

public sealed class AmazonReportTokenTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "", 0)]
    [InlineData(1, "50000000001", 0)]
    [InlineData(2, "amzn1.tortuga.4.50000000001", 123_456_789)]
    [InlineData(3, "token|with+odd/chars==", 0)]
    public void A_token_decodes_to_what_was_encoded(int stage, string reference, long offset)
    {
        var token = new AmazonReportToken((AmazonReportStage)stage, Start, Start.AddDays(30), Start.AddDays(90), reference, offset);
        var encoded = token.Encode();
        Assert.True(AmazonReportToken.IsOne(encoded));
        Assert.True(AmazonReportToken.TryDecode(encoded, out var decoded));
        Assert.Equal(token, decoded);
        Assert.False(decoded.IsLastWindow);
    }

    [Theory]
    [InlineData("ar1|2|1|2")]
    [InlineData("ar2|2|1|2|3||0")]
    [InlineData("ar1|9|1|2|3||0")]
    [InlineData("ar1|2|5|2|3||0")]
    [InlineData("ar1|2|1|2|3||-4")]
    [InlineData("ar1|2|x|2|3||0")]
    public void A_token_this_adapter_did_not_issue_is_refused(string token) =>
        Assert.False(AmazonReportToken.TryDecode(token, out _));

    [Fact]
    public void The_window_that_reaches_the_feeds_end_is_the_last()
    {
        var token = new AmazonReportToken(AmazonReportStage.Create, Start, Start.AddDays(3), Start.AddDays(3));
        Assert.True(token.IsLastWindow);
    }
}

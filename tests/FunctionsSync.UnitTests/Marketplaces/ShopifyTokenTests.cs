using FunctionsSync.Marketplaces.Shopify;

namespace FunctionsSync.UnitTests.Marketplaces;

public sealed class ShopifyTokenTests
{
    private static readonly DateTimeOffset At = new(2024, 1, 1, 0, 0, 5, TimeSpan.Zero);

    [Fact]
    public void A_paged_token_decodes_to_what_was_encoded()
    {
        foreach (var token in new[]
        {
            new ShopifyPageToken(null, -1, null, 0, null, -1),
            new ShopifyPageToken(At, 42, "eyJ|a.b=", 19_000, At.AddSeconds(9), 77),
        })
        {
            Assert.True(ShopifyPageToken.IsOne(token.Encode()));
            Assert.True(ShopifyPageToken.TryDecode(token.Encode(), out var decoded));
            Assert.Equal(token, decoded);
        }
    }

    [Fact]
    public void A_bulk_token_decodes_to_what_was_encoded()
    {
        var token = new ShopifyBulkToken(ShopifyBulkStage.Read, At, "gid://shopify/BulkOperation/4000000001", 1_234_567, 2, "sg1|inner|token");
        Assert.True(ShopifyBulkToken.IsOne(token.Encode()));
        Assert.True(ShopifyBulkToken.TryDecode(token.Encode(), out var decoded));
        Assert.Equal(token, decoded);
    }

    [Theory]
    [InlineData("sg1|x|-1||0||-1")]
    [InlineData("sg1|1|-1||0|")]
    [InlineData("sb1|7|0||0|0|")]
    [InlineData("sb1|1|0||-5|0|")]
    [InlineData("page_info_from_rest")]
    public void A_token_this_adapter_did_not_issue_is_refused(string token)
    {
        Assert.False(ShopifyPageToken.TryDecode(token, out _));
        Assert.False(ShopifyBulkToken.TryDecode(token, out _));
    }
}

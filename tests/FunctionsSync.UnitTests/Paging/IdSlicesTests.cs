using FunctionsSync.Core.Adapters;
using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.UnitTests.Paging;

public sealed class IdSlicesTests
{
    private static readonly string[] Ids = ["1", "2", "3", "4", "5"];

    [Fact]
    public void Named_ids_are_read_slice_by_slice_and_a_resumed_read_goes_on_from_its_token()
    {
        var (first, next) = IdSlices.Take("shopify", Ids, null, 2);
        Assert.Equal(["1", "2"], first);
        Assert.Equal("i2", next);
        var (second, after) = IdSlices.Take("shopify", Ids, next, 2);
        Assert.Equal(["3", "4"], second);
        Assert.Equal("i4", after);
        var (last, end) = IdSlices.Take("shopify", Ids, after, 2);
        Assert.Equal(["5"], last);
        Assert.Null(end);
    }

    [Theory]
    [InlineData("i9")]
    [InlineData("x1")]
    [InlineData("i-1")]
    public void A_token_that_is_not_a_position_in_the_list_is_refused(string token) =>
        Assert.Throws<MarketplaceException>(() => IdSlices.Take("woocommerce", Ids, token, 2));
}

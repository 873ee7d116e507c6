using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.UnitTests.Paging;

public sealed class ListShortfallTests
{
    [Theory]
    // total, offset, returned, ended → missing
    [InlineData(350L, 0, 99, true, 251L)]   // the first page answered one short looks like the last: the rest is missing
    [InlineData(350L, 300, 50, true, 0L)]   // the real last page
    [InlineData(350L, 100, 100, false, 0L)] // a full page says nothing
    [InlineData(340L, 300, 50, true, 0L)]   // records deleted mid-walk: the answer's own total fell with them
    [InlineData(30L, 0, 29, true, 1L)]      // a one-page window, one short
    [InlineData(0L, 0, 0, true, 0L)]
    public void A_page_that_ends_the_list_short_of_its_total_misses_the_rest(long total, int offset, int returned, bool ended, long missing) =>
        Assert.Equal(missing, ListShortfall.Missing(total, offset, returned, ended));

    [Fact]
    public void Without_a_total_nothing_is_expected()
    {
        Assert.Equal(0, ListShortfall.Missing(null, 0, 3, ended: true));
        Assert.Null(ListShortfall.Expected(null, 0, 3, ended: true, delivered: 3));
    }

    [Fact]
    public void A_page_expects_what_it_delivered_and_what_it_missed() =>
        // Of 99 returned, 97 delivered (two read on the page before, in the overlap); 251 left out.
        Assert.Equal(97 + 251, ListShortfall.Expected(350, 0, 99, ended: true, delivered: 97));
}

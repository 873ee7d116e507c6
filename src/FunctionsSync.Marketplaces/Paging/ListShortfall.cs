namespace FunctionsSync.Marketplaces.Paging;

/// <summary>
/// Completeness on an offset list that states its total with each answer (WooCommerce <c>X-WP-Total</c>, Etsy
/// <c>count</c>): the total and the page come from the same query, so a page that ends the list at
/// <c>offset + returned</c> short of the total left records out, whatever changed at the marketplace between pages
/// (a record deleted mid-walk lowers the next answer's total with it). Only a page that ends the list is judged: a
/// full page says nothing, and the walk's next page is judged in turn.
/// </summary>
public static class ListShortfall
{
    /// <summary>Records the list's total places at or after this page's offset that the page that ended the list did not return.</summary>
    public static long Missing(long? total, int offset, int returned, bool ended) =>
        ended && total is { } t && t > offset + returned ? t - (offset + returned) : 0;

    /// <summary>
    /// What the page adds to the feed's expected count (<see cref="Core.Adapters.FetchPage.Expected"/>): the records it
    /// delivered and those it left out; null without a total.
    /// </summary>
    public static long? Expected(long? total, int offset, int returned, bool ended, int delivered) =>
        total is null ? null : delivered + Missing(total, offset, returned, ended);
}

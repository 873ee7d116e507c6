using System.Globalization;

namespace FunctionsSync.Marketplaces.Paging;

/// <summary>
/// Keyset paging emulated on offset APIs (WooCommerce, Etsy) sorted by modification time, with the design brief's
/// tie-breaker (change time, then id): each page moves the time filter up to the last record's second and remembers
/// that record's id. The next page re-reads that second from a little before where the walk stood and leaves out what
/// it already read (same second, id not above the last one), so a record of that second changing mid-walk (which
/// shifts the ones behind it up) neither hides one nor repeats one. Offsets stay small on any store size.
/// Relies on ties coming back in id order, as both APIs (and the simulator) return them.
/// </summary>
/// <param name="Window">The time filter, in unix seconds, as the API takes it; null: no filter yet.</param>
/// <param name="Skip">Records of the tie second read so far (the page's position within it).</param>
/// <param name="LastId">Id of the last record read, in the tie second; null: plain offset paging (a record without a readable time or id ended the page, or a token from before tie-breaking).</param>
public sealed record OffsetWindowToken(long? Window, int Skip, string? LastId = null)
{
    public string Encode() =>
        $"{Window?.ToString(CultureInfo.InvariantCulture) ?? ""}:{Skip.ToString(CultureInfo.InvariantCulture)}{(LastId is null ? "" : ":" + LastId)}";

    public static OffsetWindowToken? Decode(string? token)
    {
        if (token is null)
        {
            return null;
        }

        // window:skip[:lastId]; ids hold no colon (numeric on both APIs).
        var parts = token.Split(':');
        if (parts.Length is not (2 or 3) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var skip) || skip < 0
            || (parts.Length == 3 && parts[2].Length == 0))
        {
            throw new FormatException($"Invalid page token '{token}'.");
        }

        long? window = parts[0].Length == 0 ? null : long.Parse(parts[0], CultureInfo.InvariantCulture);
        return new OffsetWindowToken(window, skip, parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>
    /// The offset to ask for: with a last id, half a page before the walk's position in the tie second, so up to that
    /// many of its records may change (leaving the second) mid-walk without one behind them being passed over.
    /// </summary>
    public int Offset(int pageSize) => LastId is null ? Skip : Math.Max(0, Skip - (pageSize / 2));

    /// <summary>Whether a record (its modification second and id, null when unreadable) was read before this page.</summary>
    public bool AlreadyRead(long? second, string? id, bool exclusive) =>
        LastId is not null && second is not null && id is not null && second == TieSecond(exclusive) && CompareIds(id, LastId) <= 0;

    /// <summary>
    /// The token after a page. <paramref name="page"/> holds every item the API returned, in order (time and id, null
    /// when unreadable), read before or not; <paramref name="exclusive"/> when the API's filter means "after"
    /// (WooCommerce) rather than "at or after" (Etsy). Null when the page was the last.
    /// </summary>
    public OffsetWindowToken? Next(IReadOnlyList<(long? Second, string? Id)> page, int pageSize, bool exclusive)
    {
        if (page.Count < pageSize || page.Count == 0)
        {
            return null;
        }

        var offset = Offset(pageSize);
        var (lastSecond, lastId) = page[^1];
        if (lastSecond is null || lastId is null)
        {
            return new OffsetWindowToken(Window, offset + page.Count);
        }

        var window = exclusive ? lastSecond.Value - 1 : lastSecond.Value;
        // Still in the same second: every item of the page is in it, so the position moves by the page.
        return window == Window
            ? new OffsetWindowToken(window, offset + page.Count, lastId)
            : new OffsetWindowToken(window, page.Count(p => p.Second == lastSecond), lastId);
    }

    private long? TieSecond(bool exclusive) => exclusive ? Window + 1 : Window;

    private static int CompareIds(string a, string b) =>
        long.TryParse(a, CultureInfo.InvariantCulture, out var x) && long.TryParse(b, CultureInfo.InvariantCulture, out var y)
            ? x.CompareTo(y)
            : string.CompareOrdinal(a, b);
}

using System.Globalization;

namespace FunctionsSync.Marketplaces.Paging;

/// <summary>
/// Keyset paging emulated on offset APIs (WooCommerce, Etsy) sorted by modification time: instead of a growing offset,
/// each page moves the time filter up to the last record's second and skips only the records of that second already
/// read. Offsets stay small on any store size, and records changed mid-walk cannot shift unread records out of reach.
/// </summary>
/// <param name="Window">The time filter, in unix seconds; null: no filter yet.</param>
/// <param name="Skip">Records of the window already read.</param>
public sealed record OffsetWindowToken(long? Window, int Skip)
{
    public string Encode() => $"{Window?.ToString(CultureInfo.InvariantCulture) ?? ""}:{Skip.ToString(CultureInfo.InvariantCulture)}";

    public static OffsetWindowToken? Decode(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var parts = token.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var skip) || skip < 0)
        {
            throw new FormatException($"Invalid page token '{token}'.");
        }

        long? window = parts[0].Length == 0 ? null : long.Parse(parts[0], CultureInfo.InvariantCulture);
        return new OffsetWindowToken(window, skip);
    }

    /// <summary>
    /// The token after a page. <paramref name="pageSeconds"/> are the records' modification seconds in page order (null
    /// when unreadable); <paramref name="exclusive"/> when the API's filter means "after" (WooCommerce) rather than
    /// "at or after" (Etsy). Null when the page was the last.
    /// </summary>
    public OffsetWindowToken? Next(IReadOnlyList<long?> pageSeconds, int pageSize, bool exclusive)
    {
        if (pageSeconds.Count < pageSize || pageSeconds.Count == 0)
        {
            return null;
        }

        var last = pageSeconds[^1];
        if (last is null)
        {
            return this with { Skip = Skip + pageSeconds.Count };
        }

        var window = exclusive ? last.Value - 1 : last.Value;
        var tied = pageSeconds.Count(s => s == last);
        return window == Window ? this with { Skip = Skip + pageSeconds.Count } : new OffsetWindowToken(window, tied);
    }
}

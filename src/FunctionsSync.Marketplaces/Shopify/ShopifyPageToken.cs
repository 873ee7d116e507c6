using System.Globalization;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Where a paged GraphQL feed stands: its <c>updated_at</c> window (from <see cref="WindowStart"/>; records at exactly
/// that instant with an id up to <see cref="SkipId"/> were read in the window before), the cursor in it and how many
/// objects it has read (a cursor stops at 25,000, so a new window starts before), and the last record read.
/// </summary>
internal sealed record ShopifyPageToken(DateTimeOffset? WindowStart, long SkipId, string? Cursor, int WindowCount, DateTimeOffset? LastUpdated, long LastId)
{
    private const string Prefix = "sg1";

    public static bool IsOne(string? token) => token?.StartsWith(Prefix + "|", StringComparison.Ordinal) == true;

    public string Encode() => string.Join('|', Prefix, Ticks(WindowStart), SkipId.ToString(CultureInfo.InvariantCulture), Uri.EscapeDataString(Cursor ?? ""),
        WindowCount.ToString(CultureInfo.InvariantCulture), Ticks(LastUpdated), LastId.ToString(CultureInfo.InvariantCulture));

    public static bool TryDecode(string token, out ShopifyPageToken decoded)
    {
        decoded = null!;
        if (token.Split('|') is not [Prefix, var start, var skip, var cursor, var count, var last, var lastId]
            || !TryTicks(start, out var windowStart) || !TryTicks(last, out var lastUpdated)
            || !long.TryParse(skip, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var skipId)
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var windowCount)
            || !long.TryParse(lastId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        decoded = new ShopifyPageToken(windowStart, skipId, cursor.Length == 0 ? null : Uri.UnescapeDataString(cursor), windowCount, lastUpdated, id);
        return true;
    }

    private static string Ticks(DateTimeOffset? value) => value?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "";

    private static bool TryTicks(string text, out DateTimeOffset? value)
    {
        value = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}

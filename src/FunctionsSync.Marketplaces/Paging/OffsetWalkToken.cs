using System.Globalization;

namespace FunctionsSync.Marketplaces.Paging;

/// <summary>
/// A walk of a whole collection by offset, for lists that take no date filter (WooCommerce customers, Etsy listings):
/// each run reads everything the marketplace has and ingestion skips what did not change, so the walk is bounded by
/// the store's size and always ends. <paramref name="Part"/> numbers the sub-lists walked one after another (Etsy's
/// listing states). Where the list is sorted by a stable id (<paramref name="LastId"/> set), each page starts half a
/// page before the walk's position and leaves out ids already read, so a record deleted mid-walk (which shifts the
/// rest down) hides none behind it.
/// </summary>
/// <param name="Part">Which sub-list the walk is in.</param>
/// <param name="Skip">Records of the sub-list passed so far.</param>
/// <param name="LastId">The last id read, when the list is in ascending id order; null: plain offsets.</param>
public sealed record OffsetWalkToken(int Part, int Skip, string? LastId = null)
{
    private const string Prefix = "w";

    public string Encode() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Part}:{Skip}{(LastId is null ? "" : ":" + LastId)}");

    /// <summary>The token, null for none; a <see cref="FormatException"/> for a token that is not one of these.</summary>
    public static OffsetWalkToken? Decode(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var parts = token.StartsWith(Prefix, StringComparison.Ordinal) ? token[Prefix.Length..].Split(':') : [];
        if (parts.Length is not (2 or 3)
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var part)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var skip)
            || (parts.Length == 3 && !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"Invalid page token '{token}'.");
        }

        return new OffsetWalkToken(part, skip, parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>The offset to ask for.</summary>
    public int Offset(int pageSize) => LastId is null ? Skip : Math.Max(0, Skip - (pageSize / 2));

    /// <summary>Whether an item of the page was read on an earlier one (its id not above the last id read).</summary>
    public bool AlreadyRead(string? id) => LastId is not null && id is not null && CompareIds(id, LastId) <= 0;

    /// <summary>
    /// The token after a page of <paramref name="returned"/> items (the last of them <paramref name="lastId"/>, when
    /// the list is in id order); null when the page ended the sub-list.
    /// </summary>
    public OffsetWalkToken? Next(int returned, int pageSize, string? lastId, long? total)
    {
        var next = Offset(pageSize) + returned;
        return returned < pageSize || returned == 0 || (total is { } t && next >= t) ? null : new OffsetWalkToken(Part, next, lastId);
    }

    private static int CompareIds(string a, string b) =>
        long.TryParse(a, CultureInfo.InvariantCulture, out var x) && long.TryParse(b, CultureInfo.InvariantCulture, out var y)
            ? x.CompareTo(y)
            : string.CompareOrdinal(a, b);
}

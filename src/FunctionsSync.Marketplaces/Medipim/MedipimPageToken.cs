using System.Globalization;

namespace FunctionsSync.Marketplaces.Medipim;

/// <summary>
/// Where a MediPim feed stands: <see cref="MedipimReadMode.Stream"/> (a full read through <c>/v4/products/stream</c>, its
/// open answer held by <see cref="MedipimStreams"/> under <see cref="StreamId"/>), <see cref="MedipimReadMode.Pages"/>
/// (the same full read carried on through <c>/v4/products/query</c> pages in the same order, after the stream was lost:
/// a restarted process, a broken connection) or <see cref="MedipimReadMode.Changes"/> (an incremental read of the
/// products updated since <see cref="Since"/>). <see cref="Index"/> is the position of the next product in the result
/// set, which is all a resumed read needs.
/// </summary>
public sealed record MedipimPageToken(MedipimReadMode Mode, long Index, long? Total, long? Since, string? StreamId)
{
    private const string Prefix = "mp1";

    public string Encode() => string.Join(':', Prefix, (char)Mode, Index.ToString(CultureInfo.InvariantCulture),
        Total?.ToString(CultureInfo.InvariantCulture) ?? "", Since?.ToString(CultureInfo.InvariantCulture) ?? "", StreamId ?? "");

    /// <exception cref="FormatException">Not a token of this adapter.</exception>
    public static MedipimPageToken Decode(string token)
    {
        var parts = token.Split(':');
        if (parts.Length != 6 || parts[0] != Prefix || parts[1].Length != 1 || !Enum.IsDefined((MedipimReadMode)parts[1][0])
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new FormatException($"Invalid page token '{token}'.");
        }

        return new MedipimPageToken((MedipimReadMode)parts[1][0], index, OptLong(parts[3]), OptLong(parts[4]), parts[5].Length > 0 ? parts[5] : null);
    }

    private static long? OptLong(string text) =>
        text.Length == 0 ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new FormatException($"Invalid number '{text}' in a page token.");
}

public enum MedipimReadMode
{
    Stream = 's',
    Pages = 'p',
    Changes = 'c',
}
